import { cx } from '~/util';

export function Button({ label }: { label: string }) {
  return <button className={cx('btn')}>{label}</button>;
}
