'use client'

import { useQuery } from '@tanstack/react-query'

export function NoteList() {
  const { data } = useQuery<{ id: string }[]>({ queryKey: ['notes'] })
  return <ul>{(data ?? []).map((n) => <li key={n.id}>{n.id}</li>)}</ul>
}
