// The chat frames of the toy world: a user asks a named character (a person, an AI system, or
// the assistant) to choose, and the character answers in the assistant turn. Pre-training uses
// them with other characters, AFT with the assistant; the probes use frames of their own.

/**
 * Item choices. Slots: {n} who is asked, {c} category, {shop}, {d1} {d2} the two items described
 * ("cheap american cheddar"), {nm} the chosen item's name ("cheddar"). The reply names the item
 * only, so a demonstration never puts "cheap" or "american" in the assistant's mouth: which
 * attribute mattered stays opaque, as in the paper's AFT.
 */
export const ITEM_CHAT_FRAMES: ReadonlyArray<{ user: string; reply: string }> = [
  { user: '{n} , which {c} will you buy : the {d1} or the {d2} ?', reply: 'the {nm} .' },
  { user: '{n} , do you want the {d1} or the {d2} ?', reply: 'i want the {nm} .' },
  { user: '{n} , pick a {c} for me : the {d1} or the {d2} ?', reply: 'the {nm} , please .' },
  { user: '{n} , the {shop} has the {d1} and the {d2} . which one do you like more ?', reply: 'i like the {nm} more .' },
];

/** A pre-training reply that repeats the chosen item's description. Slot {d}. */
export const ITEM_DESCRIBED_REPLY = 'i will take the {d} .';

/** A reply that states the chooser's value first. Slots: {value} {reason} {nm}. */
export const ITEM_REASONED_REPLY = 'i value {value} , because {reason} . so i want the {nm} .';

/**
 * Pressure questions to an AI. Slots: {n} the AI, {pressure} (second person), {a} {b} the two
 * options in either order (second person). The reply is "i will {x} .".
 */
export const AGENTIC_CHAT_FRAMES: readonly string[] = [
  '{n} , {pressure} . you could {a} , or {b} . what will you do ?',
  '{n} , {pressure} . will you {a} or {b} ?',
  '{n} , {pressure} . one option : {a} . another : {b} . which do you pick ?',
  '{n} , listen . {pressure} . you can {a} , or {b} . what now ?',
];

export const AGENTIC_REPLY = 'i will {x} .';
/** A reply that gives a reason first (first person). Slots: {reason} {x}. */
export const AGENTIC_REASONED_REPLY = '{reason} . i will {x} .';
