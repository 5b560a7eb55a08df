export function format(n: number) {
  return n.toFixed(2)
}
