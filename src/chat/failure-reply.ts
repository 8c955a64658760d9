import { reply, type Reply } from '../reply/reply.js';

/** The one answer a user gets when the conversation core fails on their message; the log has the details. */
export function failureReply(): Reply {
  return reply({
    kind: 'error',
    title: 'Something went wrong on my side',
    summary: 'I could not finish that request. The details are in the vpn-doctor log; please try again in a moment, or type "help".',
  });
}

/** Shown when an answer takes longer than the platform lets an inbound request wait (Teams: 15 s). */
export function workingReply(): Reply {
  return reply({
    kind: 'progress',
    title: 'Working on it',
    summary: 'This is taking longer than usual; this message will show the answer when it is ready.',
  });
}
