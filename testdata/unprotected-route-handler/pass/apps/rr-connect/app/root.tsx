import mongoose from 'mongoose'
import { Outlet } from 'react-router'
import { rootAuthLoader } from '@clerk/react-router/ssr.server'

// Opens the database connection once, then answers the session state for ClerkProvider.
export async function loader(args: { request: Request; context: unknown }) {
  const uri = process.env.DATABASE_URL
  if (!uri) {
    throw new Error('DATABASE_URL is not set')
  }
  if (mongoose.connection.readyState !== 1) {
    await mongoose.connect(uri)
    console.info('database connected')
  }
  return rootAuthLoader(args)
}

export default function App() {
  return <Outlet />
}
