/**
 * Saves a file on this device through the browser's download (R5 exports). The object URL is revoked
 * once the browser has started the download. A CSV starts with the UTF-8 byte order mark: without
 * it Excel reads the file in the computer's legacy code page and Arabic names come out garbled
 * (#12 item 8); our own import strips it again.
 */
export function saveFile(filename: string, content: Blob | string, type = 'text/csv;charset=utf-8'): void {
  const kind = typeof content === 'string' ? type : content.type || type;
  const blob = new Blob(kind.startsWith('text/csv') ? ['\ufeff', content] : [content], { type: kind });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
