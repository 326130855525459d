/**
 * Draws a result document (许可证 / 证书 / 决定书) as an A4 PDF with pdfkit: title, document number, holder, the
 * particulars table, the decision, validity, the issuing department with a red seal-like mark, the date, and a QR
 * code with the verification code. Chinese text uses Noto Sans SC (SIL OFL), read from disk once per process;
 * pdfkit embeds only the glyphs a document uses (a subset named `XXXXXX+NotoSansSC-Regular`), so a page stays
 * in the tens of kilobytes although the font file is 10 MB.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ResultDocumentView } from './result-document.ts';

const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
/** The PostScript name pdfkit gives the embedded subset (after `XXXXXX+`). */
export const RESULT_FONT_NAME = 'NotoSansSC-Regular';

let fontBytes: Buffer | undefined;
let parsedFont: object | null | undefined;

/** The CJK font file, read once and shared by every document this process draws. */
export function resultFont(): Buffer {
  if (!fontBytes) {
    const path = createRequire(import.meta.url).resolve(FONT_MODULE);
    fontBytes = readFileSync(path);
  }
  return fontBytes;
}

/**
 * What each document is given as its font: the font parsed once (pdfkit accepts a parsed fontkit font, and
 * subsets it per document), which halves the time to draw a document compared with re-parsing the 10 MB file's
 * tables every time. pdfkit exposes the parsed font only on a document, so it is taken from a throwaway one; if
 * that ever changes, the file's bytes are used instead (slower, same output). Documents are drawn synchronously
 * from the first glyph to the end, so sharing the parsed font between them is safe.
 */
function fontSource(): Buffer | object {
  if (parsedFont === undefined) {
    const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
    probe.font(resultFont());
    const f = (probe as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    parsedFont = f && typeof f.layout === 'function' ? f : null;
  }
  return parsedFont ?? resultFont();
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 62;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#9a9a9a';
const FRAME = '#9b1c1c';
const SEAL = '#d40000';
const FOOTER_HEIGHT = 200; // QR code, department, date and seal

type Doc = PDFKit.PDFDocument;

/** Renders the document; resolves to the PDF's bytes. */
export async function renderResultPdf(v: ResultDocumentView): Promise<Buffer> {
  const qr = await QRCode.toBuffer(v.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 264 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // no default Helvetica: every string is drawn with the embedded CJK font
    font: null as unknown as string,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: `${v.title}（${v.documentNumber}）`, Author: v.departmentName, Subject: v.itemName, Creator: '一网 Yiwang', Keywords: `核验码 ${v.verificationCode}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', fontSource() as Buffer);
  doc.font('cjk').fillColor(INK);

  const certificateLike = v.approved && v.kind !== 'decision';
  if (certificateLike) drawFrame(doc);
  drawHeading(doc, v, certificateLike);
  if (certificateLike) {
    drawTable(doc, [
      [v.holderType === 'enterprise' ? '持证单位' : '持证人', v.holderName],
      [v.holderIdLabel, v.holderIdShown],
      ['许可事项', v.itemName],
      ...v.particulars.map((p) => [p.label, p.value] as [string, string]),
      ...(v.validity ? [['有效期限', v.validity] as [string, string]] : []),
    ]);
    doc.moveDown(0.8);
    paragraph(doc, v.decisionText);
  } else {
    doc.fontSize(12.5).fillColor(INK).text(`${v.holderName}（${v.holderIdLabel}：${v.holderIdShown}）：`, MARGIN, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.5);
    paragraph(doc, v.decisionText);
    if (v.particulars.length) {
      doc.moveDown(0.3);
      doc.fontSize(11).fillColor(MUTED).text('申请内容：', MARGIN, doc.y);
      doc.moveDown(0.2);
      drawTable(doc, [['申请事项', v.itemName], ...v.particulars.map((p) => [p.label, p.value] as [string, string])]);
      doc.moveDown(0.6);
    }
    if (v.validity) paragraph(doc, `有效期限：${v.validity}。`);
    if (v.rightsNotice) paragraph(doc, v.rightsNotice);
  }
  drawFooter(doc, v, qr);
  doc.end();
  return ended;
}

function drawFrame(doc: Doc): void {
  doc.save();
  doc.lineWidth(2.4).strokeColor(FRAME).rect(24, 24, A4.width - 48, A4.height - 48).stroke();
  doc.lineWidth(0.8).rect(31, 31, A4.width - 62, A4.height - 62).stroke();
  doc.restore();
}

function drawHeading(doc: Doc, v: ResultDocumentView, certificateLike: boolean): void {
  const size = certificateLike ? 30 : 24;
  // the title letter-spaced as printed documents are (食 品 经 营 许 可 证), but only when it is short
  const spacing = [...v.title].length <= 10 ? size * 0.35 : 0;
  doc.fontSize(size).fillColor(certificateLike ? FRAME : INK);
  // pdfkit adds the spacing after the last character too: shift by half of it to stay centred
  doc.text(v.title, MARGIN + spacing / 2, MARGIN + 8, { width: CONTENT_WIDTH, align: 'center', characterSpacing: spacing });
  doc.moveDown(0.25);
  doc.fontSize(11.5).fillColor(INK).text(certificateLike ? `编号：${v.documentNumber}` : v.documentNumber, MARGIN, doc.y, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(0.5);
  if (!certificateLike) {
    // the red rule under the number of an official document (版头分隔线)
    doc.save().lineWidth(1.2).strokeColor(SEAL).moveTo(MARGIN, doc.y).lineTo(A4.width - MARGIN, doc.y).stroke().restore();
  }
  doc.moveDown(1.2);
}

/** A paragraph with the first line indented by two characters (首行缩进两字). */
function paragraph(doc: Doc, text: string): void {
  const size = 12.5;
  doc.fontSize(size).fillColor(INK);
  ensureRoom(doc, doc.heightOfString(text, { width: CONTENT_WIDTH, lineGap: 5, indent: size * 2 }));
  doc.text(text, MARGIN, doc.y, { width: CONTENT_WIDTH, lineGap: 5, indent: size * 2, align: 'justify' });
  doc.moveDown(0.6);
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > A4.height - MARGIN) doc.addPage();
}

/** Two columns, ruled, rows as tall as their longest cell; breaks onto a new page between rows. */
function drawTable(doc: Doc, rows: [string, string][]): void {
  const size = 11.5;
  const labelWidth = 128;
  const pad = 7;
  const valueWidth = CONTENT_WIDTH - labelWidth;
  doc.fontSize(size);
  for (const [label, value] of rows) {
    const h =
      Math.max(
        doc.heightOfString(label, { width: labelWidth - 2 * pad, lineGap: 2 }),
        doc.heightOfString(value || '—', { width: valueWidth - 2 * pad, lineGap: 2 }),
      ) +
      2 * pad;
    if (doc.y + h > A4.height - MARGIN) doc.addPage();
    const y = doc.y;
    doc.save().lineWidth(0.6).strokeColor(RULE);
    doc.rect(MARGIN, y, labelWidth, h).fillAndStroke('#f4f1ea', RULE);
    doc.rect(MARGIN + labelWidth, y, valueWidth, h).stroke();
    doc.restore();
    doc.fillColor(MUTED).text(label, MARGIN + pad, y + pad, { width: labelWidth - 2 * pad, lineGap: 2 });
    doc.fillColor(INK).text(value || '—', MARGIN + labelWidth + pad, y + pad, { width: valueWidth - 2 * pad, lineGap: 2 });
    doc.y = y + h;
  }
  doc.x = MARGIN;
}

/** QR code and verification code on the left; department, date and the seal on the right. */
function drawFooter(doc: Doc, v: ResultDocumentView, qr: Buffer): void {
  if (doc.y + FOOTER_HEIGHT > A4.height - MARGIN + 10) doc.addPage();
  const top = Math.max(doc.y + 16, A4.height - MARGIN - FOOTER_HEIGHT + 14);
  const qrSize = 92;
  doc.image(qr, MARGIN, top, { width: qrSize, height: qrSize });
  doc.fontSize(9).fillColor(MUTED);
  doc.text('扫码核验真伪', MARGIN, top + qrSize + 4, { width: qrSize, align: 'center' });
  doc.fontSize(10.5).fillColor(INK).text(`核验码：${v.verificationCode}`, MARGIN, top + qrSize + 20, { width: 260, lineBreak: false });
  doc.fontSize(8.5).fillColor(MUTED).text(`或访问 ${v.verifyPageUrl} 输入核验码`, MARGIN, top + qrSize + 37, { width: 260 });

  const right = A4.width - MARGIN;
  const blockWidth = 230;
  const x = right - blockWidth;
  doc.fontSize(13).fillColor(INK);
  const nameTop = top + 44;
  doc.text(v.departmentName, x, nameTop, { width: blockWidth, align: 'center' });
  doc.text(v.issuedOnText, x, doc.y + 6, { width: blockWidth, align: 'center' });
  drawSeal(doc, x + blockWidth / 2, nameTop + 14, v.departmentName);
}

/** A round red seal-like mark: a ring, the department's name along the upper arc, a five-pointed star. */
function drawSeal(doc: Doc, cx: number, cy: number, name: string): void {
  const radius = 54;
  const chars = [...name];
  doc.save();
  doc.strokeOpacity(0.85).fillOpacity(0.85);
  doc.lineWidth(2.6).strokeColor(SEAL).circle(cx, cy, radius).stroke();
  // star
  const outer = 15;
  const inner = outer * 0.382;
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI / 5) * i;
    pts.push([cx + r * Math.sin(a), cy - r * Math.cos(a)]);
  }
  doc.polygon(...pts).fill(SEAL);
  // name along the arc, glyphs upright towards the rim
  const textRadius = radius - 13;
  const maxSweep = (250 * Math.PI) / 180;
  const size = Math.max(6, Math.min(12, (maxSweep * textRadius) / Math.max(chars.length, 1) / 1.08));
  const step = (size * 1.08) / textRadius;
  const sweep = step * (chars.length - 1);
  doc.fontSize(size).fillColor(SEAL);
  chars.forEach((ch, i) => {
    const a = -sweep / 2 + i * step; // clockwise from 12 o'clock
    const gx = cx + textRadius * Math.sin(a);
    const gy = cy - textRadius * Math.cos(a);
    doc.save();
    doc.rotate((a * 180) / Math.PI, { origin: [gx, gy] });
    doc.text(ch, gx - size / 2, gy - size * 0.72, { width: size * 1.2, lineBreak: false });
    doc.restore();
  });
  doc.restore();
}
