import { Likes } from '@/components/likes'

export default function Feed() {
  return <Likes />
}
