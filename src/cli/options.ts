import { Option } from 'commander';

/** Every command that reads the knowledge base accepts another folder (tests, a customer's own additions). */
export function knowledgeDirOption(): Option {
  return new Option('--knowledge <dir>', 'knowledge folder to use instead of the bundled one').env('VPN_DOCTOR_KNOWLEDGE_DIR');
}
