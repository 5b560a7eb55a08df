import { loadSettings } from '../lib/settings'

// Data the server renders for the page, fetched with no session check: only the middleware
// stands in front of it.
export async function getServerSideProps() {
  return { props: { settings: await loadSettings() } }
}

export default function Settings({ settings }: { settings: Record<string, string> }) {
  return <pre>{JSON.stringify(settings)}</pre>
}
