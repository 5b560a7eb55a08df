export function format(value: string | null): string {
  return value ?? 'anonymous';
}
