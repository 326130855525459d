/**
 * Demo result sets (演示数据) for the 结果查询 service, published by the province's 教育考试院:
 * - 2026年普通高考成绩: ~2,000 deterministic candidates, released in the past and published — its first rows are
 *   the demo persons (accounts.seed.ts), so 王芳 and 李建国 can query their own results (DEMO_RESULT_QUERIES);
 * - 2026年下半年全国大学英语等级考试成绩: published, its release time still ahead (embargoed: every query is
 *   refused until then, whatever its key). With `storage`, it also shows a failed earlier upload with its error
 *   report, as a department would see one.
 * Rows are written directly — no file — but made by the loader's own code (RowValidator: the same checks, masking
 * and key hashing), in one transaction; a database that already has the sets is left alone.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ResultColumn } from '../db/schema.ts';
import type { BlobStorage } from '../modules/attachments/blob-storage.ts';
import { recordAuditEvent } from '../modules/audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../modules/audit/audit.types.ts';
import { newSalt } from '../modules/result-sets/result-keys.ts';
import { insertRows, reportCsv } from '../modules/result-sets/process-result-loads.ts';
import { RESULT_SET_TEMPLATES } from '../modules/result-sets/result-sets.types.ts';
import { RowValidator, type RowProblem } from '../modules/result-sets/validate-result-row.ts';
import { residentIdCheckChar } from '../shared/codes/resident-id.ts';
import { DEMO_PERSONS } from './accounts.seed.ts';
import { digits, hash32, pick } from './deterministic.ts';

export const DEMO_GAOKAO_CODE = 'gaokao-2026';
export const DEMO_CET_CODE = 'cet-2026-12';
const GAOKAO_CANDIDATES = 2000;
const CET_CANDIDATES = 400;

/** What the demo persons type into the query form (考生号 / 准考证号 and 身份证号). */
export const DEMO_RESULT_QUERIES = DEMO_PERSONS.map((p, i) => ({
  name: p.name,
  idNumber: p.idNumber,
  gaokaoExamNo: `2633${p.idNumber.slice(2, 6)}${String(i + 1).padStart(6, '0')}`,
  cetTicketNo: `3300262${String(i + 1).padStart(8, '0')}`,
}));

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '沈', '蒋', '蔡', '叶', '潘', '杜', '戴', '夏', '钟', '汪', '田', '任', '姜', '范', '方', '石', '姚', '谭', '廖', '邹', '熊', '金', '陆', '郝', '孔', '白', '崔', '康', '毛', '邱', '秦', '江', '史', '顾', '侯', '邵', '孟', '龙', '万', '段', '钱', '汤', '尹', '黎', '易', '常', '武', '乔', '贺', '赖', '龚', '文', '欧阳', '诸葛'];
const GIVEN = ['子涵', '欣怡', '梓涵', '一诺', '浩然', '宇轩', '雨桐', '思源', '博文', '佳怡', '子墨', '诗涵', '俊杰', '嘉怡', '天佑', '梓萱', '晨曦', '明轩', '若曦', '铭', '瑶', '涛', '琳', '昊', '悦', '航', '婷', '哲', '敏', '磊', '可馨', '逸飞', '雅琪', '泽宇', '思彤', '景行', '书瑶', '亦舟', '安然', '清扬'];
/** County-level areas of Zhejiang (GB/T 2260), for the candidates' ID numbers. */
const AREAS = ['330102', '330105', '330106', '330108', '330110', '330122', '330127', '330203', '330212', '330302', '330324', '330402', '330421', '330502', '330522', '330602', '330624', '330702', '330782', '330802', '330825', '330902', '331002', '331082', '331102', '331127'];

function candidateId(key: string, birthYear: number): string {
  const day = hash32(`${key}:d`) % 365;
  const birth = new Date(Date.UTC(birthYear, 8, 1) + day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${pick(AREAS, key)}${birth}${digits(`${key}:s`, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

const between = (key: string, lo: number, hi: number) => lo + (hash32(key) % (hi - lo + 1));

/** 位次: 1 + how many scored strictly more. */
function ranks(totals: number[]): number[] {
  const sorted = [...totals].sort((a, b) => b - a);
  const first = new Map<number, number>();
  sorted.forEach((t, i) => first.has(t) || first.set(t, i + 1));
  return totals.map((t) => first.get(t)!);
}

function gaokaoRows(): (string | number)[][] {
  const people = [
    ...DEMO_RESULT_QUERIES.map((q) => ({ examNo: q.gaokaoExamNo, id: q.idNumber, name: q.name })),
    ...Array.from({ length: GAOKAO_CANDIDATES - DEMO_RESULT_QUERIES.length }, (_, k) => {
      const i = k + DEMO_RESULT_QUERIES.length + 1;
      const key = `gaokao-2026:${i}`;
      const id = candidateId(key, 2007);
      return { examNo: `2633${id.slice(2, 6)}${String(i).padStart(6, '0')}`, id, name: pick(SURNAMES, `${key}:s`) + pick(GIVEN, `${key}:g`) };
    }),
  ];
  const scores = people.map((p) => {
    const s = [between(`${p.examNo}:yw`, 72, 138), between(`${p.examNo}:sx`, 35, 150), between(`${p.examNo}:wy`, 48, 147), between(`${p.examNo}:zh`, 120, 296)];
    return [...s, s.reduce((a, b) => a + b, 0)];
  });
  const rank = ranks(scores.map((s) => s[4]!));
  return people.map((p, i) => [p.examNo, p.id, p.name, ...scores[i]!, rank[i]!]);
}

function cetRows(): (string | number)[][] {
  return [
    ...DEMO_RESULT_QUERIES.map((q) => ({ ticket: q.cetTicketNo, id: q.idNumber, name: q.name, level: '英语四级' })),
    ...Array.from({ length: CET_CANDIDATES - DEMO_RESULT_QUERIES.length }, (_, k) => {
      const i = k + DEMO_RESULT_QUERIES.length + 1;
      const key = `cet-2026-12:${i}`;
      return { ticket: `3300262${String(i).padStart(8, '0')}`, id: candidateId(key, 2005), name: pick(SURNAMES, `${key}:s`) + pick(GIVEN, `${key}:g`), level: i % 3 ? '英语四级' : '英语六级' };
    }),
  ].map((p) => {
    const s = [between(`${p.ticket}:l`, 80, 240), between(`${p.ticket}:r`, 90, 245), between(`${p.ticket}:w`, 60, 200)];
    return [p.ticket, p.id, p.name, p.level, ...s, s.reduce((a, b) => a + b, 0)];
  });
}

/** Rows as the loader makes them (checked, masked, hashed), in batches. */
async function writeRows(trx: Kysely<DB>, loadId: number, columns: ResultColumn[], keyColumns: string[], salt: string, rows: (string | number)[][]): Promise<void> {
  const v = new RowValidator(columns, keyColumns, salt, { at: columns.map((_, i) => i), unnamed: [], width: columns.length });
  let keys: string[] = [];
  let datas: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = v.check(rows[i]!, i + 2);
    if (!r.ok) throw new Error(`演示数据第 ${i + 2} 行有误：${r.problems.map((p) => `${p.column}${p.message}`).join('；')}`);
    keys.push(r.keyHash);
    datas.push(r.data);
    if (keys.length === 1000 || i === rows.length - 1) {
      await insertRows(trx, loadId, keys, datas);
      keys = [];
      datas = [];
    }
  }
}

interface DemoSet {
  code: string;
  title: string;
  description: string;
  template: keyof typeof RESULT_SET_TEMPLATES;
  releaseAt: Date;
  rows: (string | number)[][];
  fileName: string;
}

export async function seedDemoResultSets(db: Kysely<DB>, storage?: BlobStorage): Promise<{ sets: number; rows: number } | null> {
  const department =
    (await db.selectFrom('departments').select(['id', 'name']).where('kind', '=', 'exam_authority').orderBy('region_code').executeTakeFirst()) ??
    (await db.selectFrom('departments').select(['id', 'name']).where('kind', '=', 'education').orderBy('region_code').executeTakeFirst());
  if (!department) return null;
  const now = Date.now();
  // realistic release times, moved if needed so that the first is always past and the second always ahead
  const gaokaoRelease = new Date(Math.min(Date.parse('2026-06-25T12:00:00+08:00'), now - 86_400_000));
  const cetRelease = new Date(Math.max(Date.parse('2027-02-26T10:00:00+08:00'), now + 30 * 86_400_000));
  const sets: DemoSet[] = [
    {
      code: DEMO_GAOKAO_CODE,
      title: '2026年普通高考成绩',
      description: '考生凭考生号和身份证号查询本人各科成绩、总分和全省位次。对成绩有疑问的，可在成绩公布后 3 日内向报名所在地教育考试机构申请复核。（演示数据）',
      template: 'gaokao',
      releaseAt: gaokaoRelease,
      rows: gaokaoRows(),
      fileName: '2026年普通高考成绩.csv',
    },
    {
      code: DEMO_CET_CODE,
      title: '2026年下半年全国大学英语等级考试成绩',
      description: '考生凭准考证号和身份证号查询成绩。成绩公布前任何人都不能查询。（演示数据）',
      template: 'cet',
      releaseAt: cetRelease,
      rows: cetRows(),
      fileName: '2026下半年CET成绩.csv',
    },
  ];

  const written = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('yiwang.seed-result-sets'))`.execute(trx);
    const existing = await trx.selectFrom('result_sets').select('code').where('code', 'in', sets.map((s) => s.code)).execute();
    if (existing.length) return null;
    let rows = 0;
    for (const s of sets) {
      const t = RESULT_SET_TEMPLATES[s.template]!;
      const salt = newSalt();
      const set = await trx
        .insertInto('result_sets')
        .values({
          code: s.code,
          title: s.title,
          description: s.description,
          department_id: department.id,
          columns: JSON.stringify(t.columns),
          key_columns: JSON.stringify(t.keyColumns),
          release_at: s.releaseAt,
          status: 'published',
          salt,
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (storage && s.template === 'cet') {
        // an earlier upload that failed its checks, with its error report, as the department would see it
        const reportKey = `result-loads/demo/${s.code}/errors.csv`;
        const problems: { line: number; p: RowProblem }[] = [
          { line: 58, p: { column: '身份证号', value: '33010620050312001X', message: '身份证号校验位不正确，请核对号码' } },
          { line: 121, p: { column: '准考证号+身份证号', value: `${s.rows[3]![0]} / ${s.rows[3]![1]}`, message: '与第 5 行重复（准考证号+身份证号 相同）' } },
          { line: 307, p: { column: '听力', value: '缺考', message: '应为整数' } },
        ];
        await storage.put(reportKey, reportCsv(problems, false), 'text/csv; charset=utf-8');
        await trx
          .insertInto('result_loads')
          .values({
            set_id: set.id,
            status: 'failed',
            file_name: '2026下半年CET成绩-初版.csv',
            file_key: `result-loads/demo/${s.code}/first`,
            file_bytes: 31_240,
            format: 'csv',
            bytes_read: 31_240,
            rows_read: s.rows.length,
            rows_bad: problems.length,
            error_report_key: reportKey,
            message: `共 ${s.rows.length} 行，其中 ${problems.length} 行有错误，数据未导入，原有数据不变。请下载错误报告，修改后重新上传。`,
            started_at: new Date(),
            finished_at: new Date(),
            heartbeat_at: new Date(),
          })
          .execute();
      }
      const load = await trx
        .insertInto('result_loads')
        .values({
          set_id: set.id,
          status: 'ready',
          file_name: s.fileName,
          file_key: `result-loads/demo/${s.code}/rows`, // written directly: there is no file
          file_bytes: 0,
          format: 'csv',
          rows_read: s.rows.length,
          message: `校验通过，已导入 ${s.rows.length} 行`,
          started_at: new Date(),
          finished_at: new Date(),
          heartbeat_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeRows(trx, Number(load.id), t.columns, t.keyColumns, salt, s.rows);
      await trx.updateTable('result_sets').set({ active_load_id: load.id }).where('id', '=', set.id).execute();
      await recordAuditEvent(trx, {
        action: 'result_set.published',
        actor: SYSTEM_ACTOR,
        target: { type: 'result_set', id: s.code },
        details: { setId: set.id, demo: true, rows: s.rows.length, releaseAt: s.releaseAt.toISOString() },
      });
      rows += s.rows.length;
    }
    return { sets: sets.length, rows };
  });
  if (written) await sql`ANALYZE result_sets, result_loads, result_rows`.execute(db);
  return written;
}
