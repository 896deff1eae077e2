/**
 * Sizes in messages, one formatter in binary units (1 KiB = 1,024 bytes): short where a list or a line only needs
 * the order of magnitude (`12.3 KiB`: Review Changes' file pick, the CLI), and with the exact count where a
 * refusal states a size against a limit (`256.0 KiB (262,144 bytes)`), so the two can be compared to the byte.
 */
export function formatBytes(bytes: number, o: { compact?: boolean } = {}): string {
  if (bytes < 1024) return o.compact ? `${bytes} B` : `${bytes.toLocaleString('en-US')} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  const short = `${value.toFixed(1)} ${unit}`;
  return o.compact ? short : `${short} (${bytes.toLocaleString('en-US')} bytes)`;
}
