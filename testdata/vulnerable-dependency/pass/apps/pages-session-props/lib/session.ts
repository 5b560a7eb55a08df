import type { GetServerSidePropsContext } from 'next'
import { getAuth } from '@clerk/nextjs/server'

export const withSession = async (ctx: GetServerSidePropsContext) => {
  const { userId } = getAuth(ctx.req)
  const res = await fetch(`https://internal.example.com/settings?owner=${userId}`)
  return { props: { settings: await res.json() } }
}
