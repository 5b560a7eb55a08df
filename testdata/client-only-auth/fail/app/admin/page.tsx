'use client'
import { useUser } from '@clerk/nextjs'
import { useEffect, useState } from 'react'

export default function Admin() {
  const { user } = useUser()
  const [users, setUsers] = useState<string[]>([])
  useEffect(() => {
    fetch('/api/admin/users').then((r) => r.json()).then(setUsers)
  }, [])
  if (user?.publicMetadata?.role !== 'admin') { // expect: client-only-auth
    return <p>Forbidden</p>
  }
  return <ul>{users.map((u) => <li key={u}>{u}</li>)}</ul>
}
