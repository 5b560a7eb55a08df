// An auto-imported composable: the page calls it without an import.
export function useStats() {
  return useFetch('/api/stats')
}
