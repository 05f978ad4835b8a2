/**
 * `transaction`: groups rows sharing the values of the listed fields into
 * transactions, as Splunk does, walking the rows newest first:
 *
 * - an `endswith` row opens a transaction (it is the last of it in time), a
 *   `startswith` row completes the open one (it is the first in time);
 * - a row that would break `maxspan` (first to last), `maxpause` (gap to the
 *   next row in time) or `maxevents` ends the open transaction and opens a new one;
 * - a transaction is closed when it has what its conditions ask for (a start
 *   row if `startswith` is set, an end row if `endswith` is); others are
 *   evicted and dropped unless `keepevicted=true` (then `closed_txn=0`).
 *
 * Output rows, newest transaction first: the union of the members' fields
 * (distinct values sorted as text; with `mvlist=true` every value in walk
 * order), `_time` of the earliest member, `_raw` joined oldest first,
 * `duration` (last - first `_time`) and `eventcount`.
 */
import type { TransactionCommand } from '../language/ast.js';
import { newRow, scalarToString, type FieldValue, type Row, type Scalar } from '../values.js';
import { comboId, rowTime, type Stage } from './stages.js';

interface Txn {
  readonly rows: Row[];
  /** Times of the newest and oldest member. */
  newest: number;
  oldest: number;
  hasStart: boolean;
  hasEnd: boolean;
}

export function transactionStage(cmd: TransactionCommand, starts: ((row: Row) => boolean) | undefined, ends: ((row: Row) => boolean) | undefined): Stage {
  const isClosed = (t: Txn): boolean => (!starts || t.hasStart) && (!ends || t.hasEnd);
  return (next) => {
    const input: { row: Row; time: number; seq: number }[] = [];
    return {
      push(row) {
        input.push({ row, time: rowTime(row) ?? 0, seq: input.length });
      },
      end() {
        // Newest first; rows with the same time keep their input order.
        input.sort((a, b) => b.time - a.time || a.seq - b.seq);
        const open = new Map<string, Txn>();
        const done: { txn: Txn; closed: boolean }[] = [];
        const finish = (key: string): void => {
          const t = open.get(key);
          if (!t) return;
          open.delete(key);
          done.push({ txn: t, closed: isClosed(t) });
        };
        for (const { row, time } of input) {
          const vals: Scalar[] = [];
          let complete = true;
          for (const f of cmd.fields) {
            const v = row[f];
            if (v === undefined) {
              complete = false;
              break;
            }
            vals.push(Array.isArray(v) ? ((v[0] as Scalar | undefined) ?? '') : (v as Scalar));
          }
          // Rows without every listed field belong to no transaction.
          if (!complete) continue;
          const key = comboId(vals);
          const isEnd = ends?.(row) === true;
          const isStart = starts?.(row) === true;
          let t = open.get(key);
          if (t && (isEnd || !fits(t, time, cmd))) {
            finish(key);
            t = undefined;
          }
          if (!t) {
            // With endswith, only an end row opens a transaction (rows before it are evicted alone).
            t = { rows: [], newest: time, oldest: time, hasStart: false, hasEnd: isEnd };
            open.set(key, t);
          }
          t.rows.push(row);
          t.oldest = time;
          if (isStart) {
            t.hasStart = true;
            finish(key);
          }
        }
        for (const key of [...open.keys()]) finish(key);
        const out = done
          .filter((d) => d.closed || cmd.keepevicted)
          .map((d) => ({ row: render(d.txn, d.closed, cmd), time: d.txn.oldest }))
          .sort((a, b) => b.time - a.time);
        for (const o of out) next.push(o.row);
        next.end();
      },
    };
  };
}

function fits(t: Txn, time: number, cmd: TransactionCommand): boolean {
  if (t.rows.length >= cmd.maxevents) return false;
  if (cmd.maxspan !== undefined && t.newest - time > cmd.maxspan) return false;
  if (cmd.maxpause !== undefined && t.oldest - time > cmd.maxpause) return false;
  return true;
}

function render(t: Txn, closed: boolean, cmd: TransactionCommand): Row {
  const out = newRow();
  const values = new Map<string, Scalar[]>();
  for (const r of t.rows) {
    for (const k in r) {
      const v = r[k];
      if (v === undefined || k === '_time' || k === '_raw') continue;
      let list = values.get(k);
      if (!list) values.set(k, (list = []));
      for (const x of Array.isArray(v) ? v : [v as Scalar]) list.push(x);
    }
  }
  for (const [k, list] of values) {
    let vs = list;
    if (!cmd.mvlist) {
      const seen = new Map<string, Scalar>();
      for (const x of list) if (!seen.has(scalarToString(x))) seen.set(scalarToString(x), x);
      vs = [...seen.keys()].sort().map((s) => seen.get(s) as Scalar);
    }
    out[k] = (vs.length === 1 ? vs[0] : vs) as FieldValue;
  }
  const oldestFirst = [...t.rows].reverse();
  const raws = oldestFirst.map((r) => r['_raw']).filter((x): x is string => typeof x === 'string');
  if (raws.length > 0) out['_raw'] = raws.join('\n');
  out['_time'] = t.oldest;
  out['duration'] = t.newest - t.oldest;
  out['eventcount'] = t.rows.length;
  if (cmd.keepevicted) out['closed_txn'] = closed ? 1 : 0;
  return out;
}
