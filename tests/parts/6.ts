/** Part 6 of the suite (plan.ts says how files are dealt to parts). */
import { importPart } from "./plan.ts";

await importPart(6);
