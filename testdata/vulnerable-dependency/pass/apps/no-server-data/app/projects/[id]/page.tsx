'use client'

import { useEffect, useState } from 'react'
import { useParams } from 'next/navigation'

// A client page: the server sends its shell; the data comes from an endpoint that checks.
export default function ProjectPage() {
  const { id } = useParams<{ id: string }>()
  const [name, setName] = useState('')
  useEffect(() => {
    fetch(`/api/projects/${id}`).then((r) => r.json()).then((p) => setName(p.name))
  }, [id])
  return <h1>{name}</h1>
}
