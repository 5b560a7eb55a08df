import 'server-only';
import { formatDate } from '@shared/format';
import { VERSION } from '@acme/shared';

export default function AdminPage() {
  return <p>{formatDate(VERSION)}</p>;
}
