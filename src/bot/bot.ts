/**
 * The bot: turns one chat message into one answer. It knows who is speaking (contacts, LEADER_IDS, ADMIN_IDS),
 * what they may do, and carries the parsed command out against the database. Receivers (the DingTalk callback,
 * Stream mode, `duban say`) hand it typed messages and send back what it answers; it knows nothing of HTTP.
 */
import type { Logger } from '../logger';
import { parseCommand } from './parse-command';
import { BotContext, identify, type BotDeps, type Speaker } from './bot-context';
import type { Command } from './command';
import type { BotHandler, BotReply, IncomingMessage } from './message';
import { answer } from './reply-text';
import { handleCorrect, handleMyTasks, handleReport, handleWithdraw } from './report-flow';
import { dashboardAnswer, itemAnswer, overdue, overview, unitAnswer, unreported, urge } from './status-answers';
import { helpText } from './help-text';

export type { BotDeps };

const NOT_TEXT = '暂时只能看懂文字消息（图片、文件、语音等无法识别）。报送进展请直接发文字，例如：3 推进中 已完成制度清理；发“帮助”查看用法。';

/** The bot as a function of one message. Never throws: an unexpected error becomes a polite answer and a log line. */
export function createBot(deps: BotDeps & { logger?: Logger }): BotHandler {
  return async (message) => {
    try {
      return respond(deps, message);
    } catch (err) {
      deps.logger?.error({ err, msgId: message.msgId }, `处理消息时出错：${err instanceof Error ? err.message : String(err)}`);
      return answer('督办机器人', ['抱歉，处理这条消息时出错了，没有记录任何内容。请稍后再试，或联系管理员。']);
    }
  };
}

export function respond(deps: BotDeps, message: IncomingMessage): BotReply | null {
  if (message.msgtype !== 'text') return answer('督办机器人', [NOT_TEXT]);
  const contacts = deps.contacts();
  const speaker = identify(message.senderId, message.senderNick, contacts, deps.config);
  if (!speaker) {
    return answer('督办机器人', [
      `您好${message.senderNick ? `，${message.senderNick}` : ''}！您还没有登记为督办联络员或领导，机器人暂时不能为您记录或查询进度。`,
      `请联系督办办公室，在联络员名单中登记您的单位和钉钉ID${message.senderId ? `（${message.senderId}）` : ''}。`,
    ]);
  }
  const ctx = new BotContext(deps);
  const command = parseCommand(message.text, { unitNames: ctx.unitNames() });
  return dispatch(ctx, speaker, command, message);
}

function dispatch(ctx: BotContext, speaker: Speaker, command: Command, message: IncomingMessage): BotReply {
  switch (command.kind) {
    case 'report':
      return handleReport(ctx, speaker, command.unit, command.entries, message);
    case 'withdraw':
      return handleWithdraw(ctx, speaker);
    case 'correct':
      return handleCorrect(ctx, speaker, command.unit, command.entry, message);
    case 'my-tasks':
      return handleMyTasks(ctx, speaker, command.unit);
    case 'help':
      return answer('督办机器人：使用说明', helpText(speaker));
    case 'overview':
      if (speaker.isLeader || speaker.isAdmin) return overview(ctx);
      return speaker.units.length === 1 ? unitAnswer(ctx, speaker, speaker.units[0] ?? '', 'status') : handleMyTasks(ctx, speaker, null);
    case 'item':
      return itemAnswer(ctx, speaker, command.item);
    case 'unit':
      return unitAnswer(ctx, speaker, command.unit, command.question);
    case 'unreported':
      return unreported(ctx, speaker);
    case 'overdue':
      return overdue(ctx, speaker);
    case 'urge':
      return urge(ctx, speaker, command.unit);
    case 'dashboard':
      return dashboardAnswer(ctx, speaker);
    case 'unknown':
      return answer('督办机器人', [
        command.hint ?? (command.text ? '没有看懂这条消息。' : '请发送文字内容。'),
        '报送进展请写“任务编号 状态 进展”，例如：3.2 推进中 已完成目录清理。发“帮助”查看全部用法。',
      ]);
  }
}
