/**
 * A loader that gathers what is asked for in one turn of the event loop and reads it with one call of `batch`
 * (DataLoader with its cache off: nothing is kept between turns, every load reads the database as it is now).
 */
import DataLoader from 'dataloader';

export function perTurnLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, { cache: false, batchScheduleFn: (dispatch) => setImmediate(dispatch), maxBatchSize: 500 });
}
