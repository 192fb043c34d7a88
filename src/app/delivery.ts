/** The channel and the delivery worker the settings ask for, wired to the outbox of a store. */
import type { Channel, Clock } from '../channels/channel';
import { channelRate, createChannel } from '../channels/create-channel';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { DeliveryWorker, type DeliveryEvent, type Sleep } from '../outbox/delivery-worker';
import type { Store } from '../store/store';

export interface DeliveryDeps {
  clock?: Clock;
  sleep?: Sleep;
  logger?: Logger;
  consoleStream?: NodeJS.WritableStream;
  onEvent?: (event: DeliveryEvent) => void;
  onChannelStopped?: (channel: Channel, message: string) => void;
  /** Recipients a sent message did not reach (no id, unknown id); logged as warnings when not given. */
  onWarning?: (text: string) => void;
}

export interface Delivery {
  channel: Channel;
  worker: DeliveryWorker;
}

export function createDelivery(config: Config, store: Store, deps: DeliveryDeps = {}): Delivery {
  const channel = createChannel(config, {
    clock: deps.clock,
    consoleStream: deps.consoleStream,
    onWarning: deps.onWarning ?? ((text) => deps.logger?.warn(text)),
  });
  const worker = new DeliveryWorker({
    outbox: store.outbox,
    channels: [channel],
    ratePerMinute: (c) => channelRate(config, c),
    clock: deps.clock,
    sleep: deps.sleep,
    logger: deps.logger,
    onEvent: deps.onEvent,
    onChannelStopped: (c, error, failed) =>
      deps.onChannelStopped?.(
        c,
        `${c.label}无法使用，已停止发送，${failed} 条消息标为失败。原因：${error.message}\n修正设置后运行 duban outbox retry 重新发送。`,
      ),
  });
  return { channel, worker };
}
