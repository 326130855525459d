import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { detectFileType, isOfdPackage } from './detect-file-type.ts';
import { listZipEntries } from './list-zip-entries.ts';
import { contentDisposition, safeFileName } from './file-names.ts';
import { attachmentHeaders } from './attachment-headers.ts';
import { sampleDocx, sampleExe, sampleHtml, sampleJpeg, sampleOfd, samplePdf, samplePng, zipStored } from './sample-files.ts';

async function refusal(bytes: Buffer, maxMb = 1): Promise<AppError> {
  const err = await detectFileType(bytes, { maxMb }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof AppError, `expected a refusal, got ${String(err)}`);
  return err;
}

test('PDF, JPEG, PNG and OFD are recognised from their bytes, with size and SHA-256', async () => {
  const cases: [Buffer, string, string][] = [
    [await samplePdf(), 'application/pdf', 'pdf'],
    [sampleJpeg(), 'image/jpeg', 'jpg'],
    [await samplePng(), 'image/png', 'png'],
    [sampleOfd(), 'application/ofd', 'ofd'],
  ];
  for (const [bytes, mediaType, extension] of cases) {
    const d = await detectFileType(bytes, { maxMb: 1 });
    assert.equal(d.mediaType, mediaType);
    assert.equal(d.extension, extension);
    assert.equal(d.sizeBytes, bytes.length);
    assert.equal(d.sha256, createHash('sha256').update(bytes).digest('hex'));
  }
});

test('HTML, a program, a DOCX, other ZIPs and unknown bytes are refused with 415 on the file field', async () => {
  const nested = zipStored([{ name: 'docs/OFD.xml', data: '<ofd:OFD/>' }]);
  const truncatedOfd = sampleOfd().subarray(0, sampleOfd().length - 10);
  for (const bytes of [sampleHtml(), sampleExe(), sampleDocx(), nested, truncatedOfd, Buffer.from('just some text'), Buffer.from([0x25, 0x50])]) {
    const e = await refusal(bytes);
    assert.equal(e.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(e.status, 415);
    assert.equal(e.field, 'file');
    assert.match(e.message, /PDF、JPG、PNG 或 OFD/);
  }
});

test('an empty file is a 400, one over the limit a 413 naming the limit', async () => {
  const empty = await refusal(Buffer.alloc(0));
  assert.equal(empty.code, 'INVALID_PARAMETER');
  assert.equal(empty.field, 'file');
  const pdf = await samplePdf();
  const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024 + 1 - pdf.length, 0x20)]);
  const tooLarge = await refusal(big, 1);
  assert.equal(tooLarge.code, 'PAYLOAD_TOO_LARGE');
  assert.equal(tooLarge.status, 413);
  assert.match(tooLarge.message, /1 MB/);
  assert.equal((await detectFileType(big.subarray(0, 1024 * 1024), { maxMb: 1 })).mediaType, 'application/pdf', 'exactly the limit is allowed');
});

test('the ZIP central directory is read without inflating: names, and malformed archives give null', () => {
  const ofd = sampleOfd();
  assert.deepEqual(
    listZipEntries(ofd)?.map((e) => e.name),
    ['OFD.xml', 'Doc_0/Document.xml'],
  );
  assert.equal(isOfdPackage(ofd), true);
  assert.equal(isOfdPackage(sampleDocx()), false);
  // a comment after the directory is allowed
  const withComment = Buffer.concat([ofd, Buffer.from('comment')]);
  withComment.writeUInt16LE(7, ofd.length - 2);
  assert.equal(isOfdPackage(withComment), true);
  // a directory offset pointing outside the file, and a broken local header
  const badOffset = Buffer.from(ofd);
  badOffset.writeUInt32LE(ofd.length, ofd.length - 6);
  assert.equal(listZipEntries(badOffset), null);
  const badLocal = Buffer.from(ofd);
  badLocal.writeUInt32LE(0, 0);
  assert.equal(listZipEntries(badLocal), null);
  assert.equal(listZipEntries(Buffer.from('PK')), null);
});

test('file names: no path, no control or bidi characters, an extension that matches the content', () => {
  assert.equal(safeFileName('营业执照.pdf', 'application/pdf'), '营业执照.pdf');
  assert.equal(safeFileName('C:\\Users\\wang\\身份证 正面.JPEG', 'image/jpeg'), '身份证 正面.jpeg');
  assert.equal(safeFileName('../../etc/passwd', 'image/png'), 'passwd.png');
  assert.equal(safeFileName('report.html', 'application/pdf'), 'report.html.pdf');
  assert.equal(safeFileName('invoice\u202Efdp.exe', 'application/pdf'), 'invoicefdp.exe.pdf');
  assert.equal(safeFileName('', 'application/ofd'), '材料.ofd');
  assert.equal(safeFileName('...', 'image/png'), '材料.png');
  assert.equal([...safeFileName('长'.repeat(300) + '.pdf', 'application/pdf')].length, 124);
});

test('Content-Disposition carries an ASCII fallback and the RFC 5987 UTF-8 name; previews only for PDFs and images', () => {
  assert.equal(contentDisposition('营业执照(副本).pdf', false), `attachment; filename="_(_).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%28%E5%89%AF%E6%9C%AC%29.pdf`);
  assert.equal(contentDisposition('a"b.png', true), `inline; filename="a_b.png"; filename*=UTF-8''a%22b.png`);
  const pdf = attachmentHeaders({ fileName: 'a.pdf', mediaType: 'application/pdf' }, true);
  assert.match(pdf['content-disposition']!, /^inline;/);
  assert.doesNotMatch(pdf['content-security-policy']!, /sandbox/);
  assert.match(pdf['content-security-policy']!, /default-src 'none'/);
  const png = attachmentHeaders({ fileName: 'a.png', mediaType: 'image/png' }, true);
  assert.match(png['content-disposition']!, /^inline;/);
  assert.match(png['content-security-policy']!, /; sandbox$/);
  const ofd = attachmentHeaders({ fileName: 'a.ofd', mediaType: 'application/ofd' }, true);
  assert.match(ofd['content-disposition']!, /^attachment;/, 'an OFD is always downloaded');
  const download = attachmentHeaders({ fileName: 'a.pdf', mediaType: 'application/pdf' }, false);
  assert.match(download['content-disposition']!, /^attachment;/);
  assert.match(download['content-security-policy']!, /sandbox/);
  assert.equal(download['cache-control'], 'private, no-store');
  assert.equal(download['x-content-type-options'], 'nosniff');
});
