import { fetchGuild } from '../lib/guild'

type Guild = Awaited<ReturnType<typeof fetchGuild>>

export async function getServerSideProps() {
  return { props: { guild: await fetchGuild('1') } }
}

// The component calls it too: the import stays in the browser bundle.
export default function GuildPage({ guild }: { guild: Guild }) {
  return <button onClick={() => fetchGuild('2')}>{guild.name}</button>
}
