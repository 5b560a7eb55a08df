import { db } from '../db.server'

// Protected by the `_app` layout's middleware, which runs before this loader.
export async function loader() {
  return db.settings.all()
}

export async function clientAction() {
  return null
}
