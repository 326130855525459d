/** Messages a benchmark child process sends its parent over the IPC channel. */
export type ChildMessage =
  | { type: 'ready'; port: number; items?: number; db?: string }
  | { type: 'failed'; message: string };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'failed';
}
