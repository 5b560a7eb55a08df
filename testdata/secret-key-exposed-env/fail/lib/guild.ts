export async function fetchGuild(id: string) {
  const res = await fetch(`https://chat.example/guilds/${id}`, {
    headers: { Authorization: `Bot ${process.env.GUILD_BOT_SECRET}` }, // expect: secret-key-exposed-env
  })
  return (await res.json()) as { name: string }
}
