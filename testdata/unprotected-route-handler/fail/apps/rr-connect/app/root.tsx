import mongoose from 'mongoose'
import { Outlet } from 'react-router'
import { rootAuthLoader } from '@clerk/react-router/ssr.server'
import { Post } from './models.server'

// The callback serves posts to every caller, signed in or not.
export async function loader(args: { request: Request; context: unknown }) { // expect: unprotected-route-handler
  if (mongoose.connection.readyState !== 1) {
    await mongoose.connect(process.env.DATABASE_URL ?? '')
  }
  return rootAuthLoader(args, async () => ({ posts: await Post.find() }))
}

export default function App() {
  return <Outlet />
}
