/**
 * The record checks on their own: Excel 1900-system serials (with its 29 February 1900) as dates, numbers that
 * have lost digits refused for text-like items, item names with full-width characters matched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataItem } from '../../db/schema.ts';
import { DataRecordValidator, excelSerialDate } from './validate-data-record.ts';

test('an Excel 1900-system serial is its date; serial 60 (1900-02-29) and serials out of range are not dates', () => {
  assert.equal(excelSerialDate(1), '1900-01-01');
  assert.equal(excelSerialDate(59), '1900-02-28');
  assert.equal(excelSerialDate(60), null);
  assert.equal(excelSerialDate(61), '1900-03-01');
  assert.equal(excelSerialDate(31210), '1985-06-12');
  assert.equal(excelSerialDate(45292), '2024-01-01');
  assert.equal(excelSerialDate(45658.75), '2025-01-01', 'the time of day is dropped');
  for (const bad of [0, -1, 0.5, Number.NaN, Infinity, 2_958_466, 200_000]) assert.equal(excelSerialDate(bad), null, String(bad));
});

const ITEMS: DataItem[] = [
  { key: 'code', name: '编号', type: 'text', required: true, personal: false },
  { key: 'started', name: '成立日期', type: 'date', required: false, personal: false },
  { key: 'capital', name: '注册资本（万元）', type: 'decimal', required: false, personal: false },
  { key: 'mobile', name: '联系电话', type: 'mobile', required: false, personal: true, mask: 'mobile' },
];

test('cells: a date item takes a serial, a text-like item refuses a number past 2^53, names match in either width', () => {
  const v = new DataRecordValidator(ITEMS, 'code', 'upsert', new Date('2025-01-01T00:00:00Z'));
  v.header(['编号', '成立日期', '注册资本(万元)', '联系电话']);
  assert.equal(v.checkCells(['A1', 31210, 1.5, 13800000000], 2), null);
  const out: string[] = [];
  v.appendRecord(out);
  assert.deepEqual(JSON.parse(out.join('')), { code: 'A1', started: '1985-06-12', capital: 1.5, mobile: '13800000000' });
  assert.equal(v.checkCells([9007199254740991, '', '', ''], 3), null, 'the largest safe integer keeps its digits');
  const big = v.checkCells([123456789012345678, '', '', ''], 4);
  assert.equal(big?.[0]?.column, '编号');
  assert.match(big![0]!.message, /超过 15 位/);
  assert.match(v.checkCells(['A5', 60, '', ''], 5)![0]!.message, /应为日期/);
  assert.match(v.checkCells(['A6', '', '', 1.38e20], 6)![0]!.message, /超过 15 位/);
});

test('JSON properties named with either width match an item declared with full-width characters', () => {
  const v = new DataRecordValidator(ITEMS, 'code', 'upsert');
  assert.equal(v.checkObject({ 编号: 'B1', '注册资本（万元）': 2 }, 1), null);
  assert.equal(v.checkObject({ 编号: 'B2', '注册资本(万元)': 3 }, 2), null);
  const both = v.checkObject({ 编号: 'B3', '注册资本(万元)': 3, capital: 4 }, 3);
  assert.match(both![0]!.message, /出现了两次/);
});
