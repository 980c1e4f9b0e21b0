// What a write needs to know besides the request: where it happens, the behaviour switches, the cloud.
import type { Level } from "./model";
import type { Behaviour, Cloud } from "./options";
import type { State, Tx } from "./store";

export interface WriteContext {
  state: State;
  tx: Tx;
  level: Level;
  behaviour: Behaviour;
  cloud: Cloud;
  /** ISO timestamp of this request. */
  now: string;
}
