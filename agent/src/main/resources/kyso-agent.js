/*
 * kyso-agent.js: the page's side of kyso-agent (agent/README.md), with no dependencies.
 *
 *   const agent = new KysoAgent({ port: 8989 });
 *   button.onclick = async () => {                     // at the user's click on "Ký số"
 *     try {
 *       await agent.connect();                         // asks the browser's loopback permission now
 *       const certs = await agent.certificates();
 *       const { signature } = await agent.sign({ certificate: certs[0].id, algorithm: 'RSA_SHA256',
 *           digest: digestBase64, document: { title: 'Công văn 12', number: '12/UBND-VP', role: 'approved' } });
 *     } catch (e) { show(KysoAgent.describe(e)); }   // e.code: USER_CANCELLED, TOKEN_ABSENT, …
 *   };
 *
 * Errors are KysoAgentError with a stable `code`: the agent's own codes, plus AGENT_UNREACHABLE
 * (not running, or this site is not on the agent's allow-list: the browser hides the agent's 403
 * from the page, so the two look the same to it), LOCAL_NETWORK_ACCESS_DENIED (the user or a policy refused the
 * browser's permission for loopback), CONNECTION_CLOSED and TIMED_OUT.
 */
(function (global) {
  'use strict';

  var PROTOCOL = 1;

  function KysoAgentError(code, message) {
    this.name = 'KysoAgentError';
    this.code = code;
    this.message = message || code;
  }
  KysoAgentError.prototype = Object.create(Error.prototype);
  KysoAgentError.prototype.constructor = KysoAgentError;

  var MESSAGES = {
    LOCAL_NETWORK_ACCESS_DENIED: 'Trình duyệt chưa cho phép trang này kết nối tới phần mềm ký số trên máy. Hãy bấm "Cho phép" '
        + '(Allow) khi trình duyệt hỏi, hoặc nhờ bộ phận CNTT bật chính sách LoopbackNetworkAllowedForUrls. '
        + '/ The browser does not let this page reach the signing agent on this computer: allow it when asked, '
        + 'or ask IT to set the LoopbackNetworkAllowedForUrls policy.',
    ORIGIN_NOT_ALLOWED: 'Người dùng đã không cho phép trang này dùng token ký số. / The user did not allow this site to use the token.',
    USER_CANCELLED: 'Bạn đã hủy ký. / You cancelled the signature.',
    TOKEN_ABSENT: 'Chưa cắm token ký số. / The signing token is not plugged in.',
    PIN_INCORRECT: 'Sai mã PIN. / Wrong PIN.',
    PIN_LOCKED: 'Mã PIN đã bị khóa: liên hệ nhà cung cấp chứng thư số. / The PIN is locked: contact your CA.',
    BUSY: 'Phần mềm ký số đang bận với một yêu cầu khác. / The agent is busy with another request.',
    TIMED_OUT: 'Hết thời gian chờ ký. / The signature took too long.',
    CONNECTION_CLOSED: 'Mất kết nối tới phần mềm ký số. / The connection to the agent was lost.'
  };

  /**
   * The agent refuses a site that is not on its allow-list with 403, which the browser hides from
   * the page (no CORS header): a refused site cannot be told from an agent that is not running, so
   * the text names both, and the site's own origin for the administrator. Nothing more is probed.
   */
  function unreachable() {
    var origin = global.location && global.location.origin;
    var site = origin && origin !== 'null' ? ' (' + origin + ')' : '';
    return 'Không kết nối được phần mềm ký số kyso-agent trên máy này. Có thể phần mềm chưa được cài hoặc chưa chạy: '
        + 'hãy mở kyso-agent. Hoặc quản trị viên chưa cho phép trang web này' + site + ' dùng phần mềm ký số: '
        + 'địa chỉ trang phải có trong mục allowedOrigins của tệp cấu hình agent.properties của kyso-agent '
        + '(hoặc tùy chọn --allow-origin). '
        + '/ kyso-agent cannot be reached on this computer. Either it is not installed or not running: start kyso-agent. '
        + 'Or the administrator has not allowed this site' + site + ' to use it: its address must be in allowedOrigins '
        + 'of kyso-agent\'s settings file agent.properties (or an --allow-origin option).';
  }

  /** A friendly, bilingual text for an error of this client. */
  function describe(error) {
    if (error && error.code === 'AGENT_UNREACHABLE') {
      return unreachable();
    }
    if (error && MESSAGES[error.code]) {
      return MESSAGES[error.code];
    }
    return (error && error.message) || String(error);
  }

  /**
   * options.port (default 8989; the secure port, 8990 by default, with options.secure),
   * options.secure (https/wss, for Safari and Firefox HTTPS-Only: the agent's CA must be trusted),
   * options.host (default '127.0.0.1'), options.timeoutMs (default 150000: a little longer than
   * the agent's own limit, which answers TIMED_OUT first).
   */
  function KysoAgent(options) {
    options = options || {};
    this.secure = !!options.secure;
    this.port = options.port || (this.secure ? 8990 : 8989);
    this.host = options.host || '127.0.0.1';
    this.timeoutMs = options.timeoutMs || 150000;
    this.socket = null;
    this.pending = {};
    this.nextId = 1;
  }

  KysoAgent.prototype.base = function () {
    return (this.secure ? 'https://' : 'http://') + (this.host.indexOf(':') >= 0 ? '[' + this.host + ']' : this.host) + ':' + this.port;
  };

  /**
   * Asks the browser's loopback permission with a discovery request (call it from the user's
   * click), then opens the WebSocket. Resolves with the agent's hello.
   */
  KysoAgent.prototype.connect = function () {
    var self = this;
    if (self.socket && self.socket.readyState === 1) {
      return self.hello();
    }
    var init = { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-store' };
    // Chrome's Local Network Access: name the address space so the prompt comes now, predictably
    init.targetAddressSpace = 'loopback';
    return fetch(self.base() + '/kyso/v1/hello', init).then(function (response) {
      if (response.status === 403) {
        throw new KysoAgentError('ORIGIN_NOT_ALLOWED', 'the agent refuses this site (not on its allow-list)');
      }
      if (!response.ok) {
        throw new KysoAgentError('AGENT_UNREACHABLE', 'the agent answered HTTP ' + response.status);
      }
      return response.json();
    }, function (failure) {
      return loopbackPermission().then(function (state) {
        if (state === 'denied' || String(failure && failure.message).indexOf('loopback') >= 0
            || String(failure && failure.message).indexOf('ermission') >= 0) {
          throw new KysoAgentError('LOCAL_NETWORK_ACCESS_DENIED', String(failure && failure.message));
        }
        throw new KysoAgentError('AGENT_UNREACHABLE', String(failure && failure.message));
      });
    }).then(function (hello) {
      if (!hello || !hello.protocol || hello.protocol.indexOf(PROTOCOL) < 0) {
        throw new KysoAgentError('VERSION_MISMATCH', 'the agent does not speak protocol ' + PROTOCOL);
      }
      return self.open();
    });
  };

  function loopbackPermission() {
    if (!global.navigator || !navigator.permissions || !navigator.permissions.query) {
      return Promise.resolve('unknown');
    }
    return navigator.permissions.query({ name: 'loopback-network' }).catch(function () {
      return navigator.permissions.query({ name: 'local-network-access' });
    }).then(function (status) {
      return status.state;
    }, function () {
      return 'unknown';
    });
  }

  KysoAgent.prototype.open = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      var url = self.base().replace(/^http/, 'ws') + '/kyso/v1/ws';
      var socket;
      try {
        socket = new WebSocket(url);
      } catch (e) {
        reject(new KysoAgentError('AGENT_UNREACHABLE', String(e && e.message)));
        return;
      }
      var opened = false;
      socket.onopen = function () {
        opened = true;
        self.socket = socket;
        self.hello().then(resolve, reject);
      };
      socket.onmessage = function (event) {
        var reply;
        try {
          reply = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        var waiting = self.pending[reply.id];
        if (!waiting) {
          return;
        }
        delete self.pending[reply.id];
        clearTimeout(waiting.timer);
        if (reply.ok) {
          waiting.resolve(reply.result);
        } else {
          var error = reply.error || {};
          waiting.reject(new KysoAgentError(error.code || 'INTERNAL_ERROR', error.message));
        }
      };
      socket.onclose = function () {
        if (self.socket === socket) {
          self.socket = null;
        }
        Object.keys(self.pending).forEach(function (id) {
          var waiting = self.pending[id];
          clearTimeout(waiting.timer);
          waiting.reject(new KysoAgentError('CONNECTION_CLOSED', 'the connection to the agent was closed'));
        });
        self.pending = {};
        if (!opened) {
          reject(new KysoAgentError('AGENT_UNREACHABLE', 'the agent refused the connection'));
        }
      };
    });
  };

  KysoAgent.prototype.request = function (op, params) {
    var self = this;
    if (!self.socket || self.socket.readyState !== 1) {
      return Promise.reject(new KysoAgentError('CONNECTION_CLOSED', 'call connect() first'));
    }
    var id = String(self.nextId++);
    var message = { v: PROTOCOL, id: id, op: op };
    Object.keys(params || {}).forEach(function (k) {
      message[k] = params[k];
    });
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        delete self.pending[id];
        reject(new KysoAgentError('TIMED_OUT', 'no answer from the agent'));
      }, self.timeoutMs);
      self.pending[id] = { resolve: resolve, reject: reject, timer: timer };
      self.socket.send(JSON.stringify(message));
    });
  };

  KysoAgent.prototype.hello = function () {
    return this.request('hello');
  };

  /** Every signing certificate on the plugged-in tokens: [{id, label, subject, certificate, chain, …}]. */
  KysoAgent.prototype.certificates = function () {
    return this.request('certificates').then(function (r) {
      return r.certificates;
    });
  };

  /**
   * The certificate the user picks in the agent's own window (no question when there is only
   * one): {id, label, subject, certificate, chain, …}.
   */
  KysoAgent.prototype.chooseCertificate = function () {
    return this.request('chooseCertificate').then(function (r) {
      return r.certificate;
    });
  };

  /** {certificate, algorithm, digest (base64), document: {title, number, role}} → {algorithm, signature}. */
  KysoAgent.prototype.sign = function (request) {
    return this.request('sign', {
      certificate: request.certificate, algorithm: request.algorithm, digest: request.digest,
      document: request.document
    });
  };

  /** {certificate, algorithm, items: [{digest, document}]} → {algorithm, signatures}; one consent, one PIN. */
  KysoAgent.prototype.signBatch = function (request) {
    return this.request('signBatch', {
      certificate: request.certificate, algorithm: request.algorithm, items: request.items
    });
  };

  KysoAgent.prototype.close = function () {
    if (this.socket) {
      this.socket.close(1000);
      this.socket = null;
    }
  };

  KysoAgent.describe = describe;
  KysoAgent.Error = KysoAgentError;
  global.KysoAgent = KysoAgent;
})(typeof window !== 'undefined' ? window : this);
