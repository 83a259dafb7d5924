import { createGate } from './gate';

export default createGate();
