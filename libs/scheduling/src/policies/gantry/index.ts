export { gantryPolicy } from './policy';
