import { Likes } from '@/components/likes'

export default function Page() {
  return <Likes />
}
