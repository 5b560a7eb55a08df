import { Stats } from '../../components/stats'

export default function StatsPage() {
  return <Stats />
}
