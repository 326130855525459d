/** Messages a benchmark child process sends its parent over the IPC channel. */
export type ChildMessage =
  | { type: 'ready'; port: number; items?: number; db?: string }
  | { type: 'failed'; message: string }
  | { type: 'stats'; memory: NodeJS.MemoryUsage; resultSets: unknown };

/** What the parent may ask a server child for: its memory and the result sets it holds. */
export type ParentMessage = { type: 'stats' };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'failed' || type === 'stats';
}
