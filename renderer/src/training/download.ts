/** Offers text as a file download (browser mode has no save dialog). */
export function downloadText(fileName: string, text: string, type = 'application/xml'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by now; the object URL is not needed any more.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
