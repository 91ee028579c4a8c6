import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { RobotKey } from '../shared/search-attributes';
import { END_SESSION_SIGNAL, UTTERANCE_SIGNAL, type UtteranceSignalArgs, type VoiceSessionInput } from '../shared/voice-session';

/** What a front door does with the session workflows: hand them utterances, tell them the stream ended. */
export interface VoiceSessions {
  /** Starts the session's run if none is running (one per session id), then signals the utterance. */
  utterance(session: VoiceSessionInput, utterance: UtteranceSignalArgs): Promise<void>;
  /** The stream ended: the session finishes its turn and ends. */
  end(sessionId: string): Promise<void>;
}

/** Voice sessions as Temporal workflows (`voiceSession`, workflow id = session id). */
export function temporalVoiceSessions(client: Client, taskQueue: string): VoiceSessions {
  return {
    async utterance(session, utterance) {
      await client.workflow.signalWithStart('voiceSession', {
        workflowId: session.session_id,
        taskQueue,
        args: [session],
        signal: UTTERANCE_SIGNAL,
        signalArgs: [utterance],
        typedSearchAttributes: [{ key: RobotKey, value: session.robot_id }],
        staticSummary: `voice session of ${session.robot_id} (${session.language})`,
      });
    },
    async end(sessionId) {
      try {
        await client.workflow.getHandle(sessionId).signal(END_SESSION_SIGNAL);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },
  };
}
