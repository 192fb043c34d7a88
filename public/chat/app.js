/*
 * The local chat page: pick who you are, read what the robot sent (the feed arrives as server-sent events),
 * talk to the bot, press the two buttons. Plain browser JavaScript, no build step; every text from the server is
 * inserted as text, except the robot's markdown, which the server rendered to HTML with raw HTML escaped.
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var list = $('messages');
  var who = $('who');
  var mineOnly = $('mine-only');
  var input = $('text');
  var remindButton = $('remind-now');
  var nextButton = $('next-day');
  var STORAGE_KEY = 'duban-chat-who';

  var events = [];
  var seen = {};
  var people = {};
  var me = null;

  function toast(text) {
    var t = $('toast');
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.hidden = true; }, 6000);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** DingTalk shows the last two characters of a name in its avatar. */
  function initials(name) {
    return Array.from(name).slice(-2).join('');
  }

  var COLORS = ['#3296fa', '#ff8a00', '#00b578', '#7a5af8', '#f25643', '#14a6c2'];
  function colorOf(name) {
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    return COLORS[h % COLORS.length];
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || '请求失败（' + res.status + '）');
        return data;
      });
    });
  }

  /** Whether the person picked now would see this event with “只看与我有关” on. */
  function concernsMe(e) {
    if (e.type === 'notice') return true;
    if (e.type === 'said') return e.from.id === me;
    if (e.type === 'answer') return e.to.id === me;
    return e.audience.everyone || e.audience.ids.indexOf(me) >= 0;
  }

  function message(side, avatar, meta, bubble) {
    var row = el('div', 'msg' + (side === 'mine' ? ' mine' : ''));
    row.appendChild(avatar);
    var body = el('div', 'body');
    body.appendChild(meta);
    body.appendChild(bubble);
    row.appendChild(body);
    return row;
  }

  function robotAvatar() {
    return el('div', 'avatar robot', '督办');
  }

  function personAvatar(name) {
    var a = el('div', 'avatar', initials(name));
    a.style.background = colorOf(name);
    return a;
  }

  function meta(name, time, tags) {
    var m = el('div', 'meta');
    m.appendChild(document.createTextNode(name));
    (tags || []).forEach(function (t) {
      m.appendChild(el('span', 'tag' + (t.className ? ' ' + t.className : ''), t.text));
    });
    m.appendChild(document.createTextNode('  ' + time));
    return m;
  }

  function markdownBubble(html, mentionsBefore, mentionsAfter) {
    var bubble = el('div', 'bubble card');
    var content = el('div', 'content');
    if (mentionsBefore) content.appendChild(el('span', 'mention', mentionsBefore + ' '));
    var md = el('div', 'md');
    md.innerHTML = html;
    content.appendChild(md);
    if (mentionsAfter) content.appendChild(el('div', 'mentions mention', mentionsAfter));
    bubble.appendChild(content);
    return bubble;
  }

  function render(e) {
    if (e.type === 'notice') return el('div', 'notice', e.time + '  ' + e.text);
    if (e.type === 'said') {
      var mine = e.from.id === me;
      var bubble = el('div', 'bubble', e.text);
      return message(mine ? 'mine' : 'other', personAvatar(e.from.name), meta(e.from.name, e.time), bubble);
    }
    if (e.type === 'answer') {
      var toMe = e.to.id === me;
      var tags = [{ text: '机器人' }].concat(toMe ? [{ text: '@我', className: 'at-me' }] : []);
      return message('other', robotAvatar(), meta('督办机器人', e.time, tags), markdownBubble(e.html, e.mention ? '@' + e.to.name : '', ''));
    }
    var a = e.audience;
    var forMe = !a.everyone && a.ids.indexOf(me) >= 0;
    var robotTags = [{ text: '机器人' }, { text: '发给 ' + a.label }].concat(forMe ? [{ text: '@我', className: 'at-me' }] : []);
    var mentions = a.names.map(function (n) { return '@' + n; }).join(' ');
    return message('other', robotAvatar(), meta('督办机器人', e.time, robotTags), markdownBubble(e.html, '', mentions));
  }

  /** Long reminders start folded, with a button to unfold them. */
  function fold(node) {
    var content = node.querySelector && node.querySelector('.content');
    if (!content || content.scrollHeight < 320) return;
    node.classList.add('collapsed');
    var more = el('button', 'more', '展开全文');
    more.type = 'button';
    more.addEventListener('click', function () {
      var folded = node.classList.toggle('collapsed');
      more.textContent = folded ? '展开全文' : '收起';
    });
    content.parentNode.appendChild(more);
  }

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  }

  function show(e, stick) {
    if (mineOnly.checked && !concernsMe(e)) return;
    var node = render(e);
    node.dataset.seq = String(e.seq);
    list.appendChild(node);
    fold(node);
    if (stick) list.scrollTop = list.scrollHeight;
  }

  function renderAll() {
    Array.from(list.querySelectorAll('[data-seq]')).forEach(function (n) { n.remove(); });
    events.forEach(function (e) { show(e, false); });
    list.scrollTop = list.scrollHeight;
  }

  function add(e) {
    if (seen[e.seq]) return;
    seen[e.seq] = true;
    events.push(e);
    var stick = nearBottom() || (e.type === 'said' && e.from.id === me) || (e.type === 'answer' && e.to.id === me);
    show(e, stick);
  }

  function fillPeople(groups) {
    var saved = localStorage.getItem(STORAGE_KEY);
    who.textContent = '';
    var first = null;
    groups.forEach(function (g) {
      var og = document.createElement('optgroup');
      og.label = g.label;
      g.people.forEach(function (p) {
        var o = document.createElement('option');
        o.value = p.id;
        o.textContent = p.name + '（' + p.role + (p.unit ? '，' + p.unit : '') + '）';
        og.appendChild(o);
        people[p.id] = p;
        if (first === null) first = p.id;
      });
      who.appendChild(og);
    });
    who.value = saved && people[saved] ? saved : first;
    me = who.value;
  }

  function showClock(clock) {
    $('clock').textContent = clock.text + (clock.workdaysAhead ? '（已快进 ' + clock.workdaysAhead + ' 个工作日）' : '');
  }

  function loadState() {
    return api('GET', '/console/api/state').then(function (s) {
      $('group-name').textContent = s.group;
      $('channel-note').textContent = s.timeTravel
        ? '发送渠道：' + s.channel.label + '（消息只在本机显示，不会发到钉钉）'
        : '发送渠道：' + s.channel.label + '（本页只能与机器人对话；提醒按真实时间表发出）';
      remindButton.disabled = !s.timeTravel;
      nextButton.disabled = !s.timeTravel;
      showClock(s.clock);
      return s;
    });
  }

  function connect() {
    var last = events.length ? events[events.length - 1].seq : 0;
    var source = new EventSource('/console/api/events?after=' + last);
    source.onmessage = function (m) {
      add(JSON.parse(m.data));
    };
  }

  function send(text) {
    text = text.trim();
    if (!text) return;
    $('send').disabled = true;
    api('POST', '/console/api/messages', { from: me, text: text })
      .then(function (r) {
        add(r.said);
        if (r.answer) add(r.answer);
        input.value = '';
      })
      .catch(function (err) { toast(err.message); })
      .then(function () {
        $('send').disabled = false;
        input.focus();
      });
  }

  function press(button, path) {
    button.disabled = true;
    api('POST', path, {})
      .then(function (r) {
        r.notices.forEach(add);
        showClock(r.clock);
      })
      .catch(function (err) { toast(err.message); })
      .then(function () { button.disabled = false; });
  }

  who.addEventListener('change', function () {
    me = who.value;
    localStorage.setItem(STORAGE_KEY, me);
    renderAll();
  });
  mineOnly.addEventListener('change', renderAll);
  $('composer').addEventListener('submit', function (ev) {
    ev.preventDefault();
    send(input.value);
  });
  Array.from($('chips').querySelectorAll('button')).forEach(function (b) {
    b.addEventListener('click', function () { send(b.dataset.text); });
  });
  remindButton.addEventListener('click', function () { press(remindButton, '/console/api/remind-now'); });
  nextButton.addEventListener('click', function () { press(nextButton, '/console/api/next-workday'); });

  loadState()
    .then(function (s) {
      fillPeople(s.people);
      connect();
      // The clock runs on between button presses.
      setInterval(function () { loadState().catch(function () {}); }, 30000);
    })
    .catch(function (err) { toast('无法连接督办服务：' + err.message); });
})();
