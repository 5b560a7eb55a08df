export * from './components/Button';
export { default as Card } from './components/Card';
export * as icons from './icons';
