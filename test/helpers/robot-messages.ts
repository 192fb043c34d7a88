/**
 * DingTalk's documented robot callback bodies (the protocol reference's Example 1 and 2), shared by the tests of
 * the HTTP callback and of Stream mode.
 */

/** A copy of `record` without `keys`. */
export function omit<T extends Record<string, unknown>>(record: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

/** Example 2 of the protocol doc (single chat), as DingTalk sends it. */
export const SINGLE = {
  conversationId: 'cide****4g=',
  chatbotCorpId: 'ding****6741',
  chatbotUserId: '$:LWC****ihY/',
  msgId: 'msgY****Pw==',
  senderNick: '张三',
  isAdmin: true,
  senderStaffId: '042***297',
  sessionWebhookExpiredTime: 1695289035996,
  createAt: 1695283635765,
  senderCorpId: 'ding****6741',
  conversationType: '1',
  senderId: '$:LWC****PA==',
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=79b48****4d4b',
  robotCode: 'ding****c6gk',
  msgtype: 'text',
  text: { content: 'hello DingTalk!' },
};

/** Example 1 (group). */
export const GROUP = {
  conversationId: 'cid-group-1',
  atUsers: [{ dingtalkId: 'xxx', staffId: 'xxx' }],
  chatbotCorpId: 'dinge8a565xxxx',
  chatbotUserId: '$:LWCP_v1:$Cxxxxx',
  msgId: 'msg0xxxxx',
  senderNick: '杨xx',
  isAdmin: true,
  senderStaffId: 'user123',
  sessionWebhookExpiredTime: 1613635652738,
  createAt: 1613630252678,
  senderCorpId: 'dinge8a565xxxx',
  conversationType: '2',
  senderId: '$:LWCP_v1:$Ff09GIxxxxx',
  conversationTitle: '机器人测试-TEST',
  isInAtList: true,
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=xxxxx',
  text: { content: ' 你好' },
  msgtype: 'text',
};
