import { createGate } from './run';

export default createGate();
