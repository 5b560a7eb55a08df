import mongoose from 'mongoose'
import { rootAuthLoader } from '@clerk/react-router/ssr.server'
import { Visit } from '../models.server'

// Connects, then writes a row for every caller before answering the session state.
export async function loader(args: { request: Request; context: unknown }) { // expect: unprotected-route-handler
  await mongoose.connect(process.env.DATABASE_URL ?? '')
  await Visit.create({ at: Date.now(), path: new URL(args.request.url).pathname })
  return rootAuthLoader(args)
}

export default function Visits() {
  return null
}
