import type { Transcript, Turn } from './types';

/** A stretch of the transcript as the navigator and the transcript view show it. */
export interface Section {
  /** DOM-safe id: `opening`, `exchange-3`, `other`. */
  id: string;
  /** Exchange number, or null for the opening and for trailing remarks. */
  number: number | null;
  title: string;
  turns: Turn[];
}

/** Upper-cases the first letter of a topic taken from the middle of a note ("the decision by…"). */
function capitalise(topic: string): string {
  return topic ? topic[0].toLocaleUpperCase() + topic.slice(1) : topic;
}

/** Splits a transcript into the opening (turns before the first question), its exchanges, and any turns left over. */
export function sectionsOf(t: Transcript): Section[] {
  const byId = new Map(t.turns.map((turn) => [turn.id, turn]));
  const claimed = new Set<string>();
  const exchanges: Section[] = t.exchanges.map((x) => {
    const ids = [x.question, ...x.answers];
    ids.forEach((id) => claimed.add(id));
    return {
      id: `exchange-${x.number}`,
      number: x.number,
      title: capitalise(x.topic),
      turns: ids.map((id) => byId.get(id)).filter((turn): turn is Turn => !!turn),
    };
  });
  const firstQuestion = t.exchanges.length ? (byId.get(t.exchanges[0].question)?.index ?? Infinity) : Infinity;
  const opening = t.turns.filter((turn) => !claimed.has(turn.id) && turn.index < firstQuestion);
  const rest = t.turns.filter((turn) => !claimed.has(turn.id) && turn.index >= firstQuestion);
  const out: Section[] = [];
  if (opening.length) {
    const title = opening.length === 1 && opening[0].kind === 'statement' ? 'Opening statement' : 'Opening';
    out.push({ id: 'opening', number: null, title, turns: opening });
  }
  out.push(...exchanges);
  if (rest.length) out.push({ id: 'other', number: null, title: 'Other remarks', turns: rest });
  return out;
}
