import { fetchGuild } from '../lib/guild'

// Used by the data function and in a type: the browser bundle keeps neither.
type Guild = Awaited<ReturnType<typeof fetchGuild>>

export async function getServerSideProps() {
  return { props: { guild: await fetchGuild('1') } }
}

export default function GuildPage({ guild }: { guild: Guild }) {
  return <p>{guild.name}</p>
}
