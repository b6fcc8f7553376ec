/**
 * Questions: attendees post a question in the room; the host sees them as a queue (oldest open
 * first) and marks each done once answered (by a broadcast, or in person) or dismissed.
 */
import type { QuestionView } from "../../contract/api.js";
import { notFound } from "../errors.js";
import type { SessionEvents } from "../session/events.js";
import type { Principal } from "../session/access.js";
import type { QuestionRecord, SessionRecord, RecordStore } from "../storage/types.js";

export type { QuestionView };

export class QuestionService {
  constructor(
    private readonly storage: RecordStore,
    private readonly events: SessionEvents,
  ) {}

  async ask(principal: Principal & { role: "attendee" }, text: string): Promise<QuestionRecord> {
    const { session, participant } = principal;
    const question = await this.storage.addQuestion({
      sessionId: session.id,
      participantId: participant.id,
      text,
      at: Date.now(),
    });
    this.events.publish(session.id, { type: "question", data: { ...question, name: participant.name } });
    return question;
  }

  /** Every question of the session in the order asked, each with its asker's name. */
  async list(session: SessionRecord): Promise<QuestionView[]> {
    const [questions, participants] = await Promise.all([
      this.storage.listQuestions(session.id),
      this.storage.listParticipants(session.id),
    ]);
    const names = new Map(participants.map((p) => [p.id, p.name]));
    return questions.map((q) => ({ ...q, name: names.get(q.participantId) ?? "" }));
  }

  async markDone(session: SessionRecord, id: number): Promise<QuestionRecord> {
    const question = await this.storage.markQuestionDone(session.id, id, Date.now());
    if (!question) throw notFound("unknown_question", "the session has no such question");
    this.events.publish(session.id, { type: "question-done", data: { id, doneAt: question.doneAt! } });
    return question;
  }
}
