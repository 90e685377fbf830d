/*
 * kyso-vgca-shim.js: the global functions of the Government Cipher Committee's VGCA Sign Service
 * plugin script (vgca_sign_approved, vgca_sign_issued, …), backed by kyso-agent, with no
 * dependencies. A page written for the VGCA plugin switches by replacing its script tag:
 *
 *   <script src="/js/kyso-vgca-shim.js" data-kyso-port="8989"></script>
 *
 *   var prms = { FileUploadHandler: '/van-ban/upload?id=12', SessionId: sid, JWTToken: jwt,
 *                FileName: '/van-ban/12.pdf', DocNumber: '12/UBND-VP', IssuedDate: new Date() };
 *   vgca_sign_issued(JSON.stringify(prms), function (rv) {       // as for the VGCA plugin
 *     var r = JSON.parse(rv);                                     // {Status, Message, FileName,
 *     if (r.Status === 0) show(r.FileServer);                     //  FileServer, DocumentNumber,
 *   }, function (error) {                                         //  DocumentDate}
 *     alert(error.message);                                       // new: the error callback
 *   });
 *
 * The shim downloads FileName and uploads the signed PDF to FileUploadHandler itself, only over
 * https and only on the page's own origin (checked before any request; the agent checks again);
 * the agent signs the bytes with one of kyso's PAdES roles after the user's consent and PIN in
 * its own window. Failures go to the error callback (third argument, or KysoVgca.configure({
 * onError })) with a stable `code`; without one, the VGCA callback gets {Status: non-zero,
 * Message, Error: code}, so a page that only knows the VGCA replies still hears of the failure.
 * agent/README.md, section "The VGCA shim", has the whole mapping.
 */
(function (global) {
  'use strict';

  var PROTOCOL = 1;
  var script = global.document && global.document.currentScript;
  var config = {
    port: Number(script && script.getAttribute('data-kyso-port')) || 8989,
    secure: !!(script && script.getAttribute('data-kyso-secure') === 'true'),
    host: '127.0.0.1',
    uploadField: (script && script.getAttribute('data-kyso-upload-field')) || 'file',
    timeoutMs: 150000,
    onError: null
  };

  function KysoVgcaError(code, message, status) {
    this.name = 'KysoVgcaError';
    this.code = code;
    this.message = message || code;
    // the VGCA plugin's own failure for "cannot reach the signing service" is Status 500
    this.status = status || (code === 'AGENT_UNREACHABLE' || code === 'LOCAL_NETWORK_ACCESS_DENIED' ? 500 : 1);
  }
  KysoVgcaError.prototype = Object.create(Error.prototype);
  KysoVgcaError.prototype.constructor = KysoVgcaError;

  var MESSAGES = {
    // the browser hides the agent's 403 from the page: a site not on the allow-list looks like a stopped agent
    AGENT_UNREACHABLE: 'Không kết nối được phần mềm ký số kyso-agent trên máy này: phần mềm chưa chạy, hoặc quản trị viên '
        + 'chưa cho phép trang web này (allowedOrigins trong agent.properties, hoặc --allow-origin). '
        + '/ kyso-agent cannot be reached on this computer: it is not running, or the administrator has not allowed '
        + 'this site (allowedOrigins in agent.properties, or --allow-origin).',
    LOCAL_NETWORK_ACCESS_DENIED: 'Trình duyệt chưa cho phép trang này kết nối tới phần mềm ký số (chính sách LoopbackNetworkAllowedForUrls). '
        + '/ The browser does not let this page reach the signing agent (policy LoopbackNetworkAllowedForUrls).',
    URL_NOT_ALLOWED: 'Địa chỉ tải về/tải lên phải là https trên chính trang này. / Download and upload addresses must be https on this page\'s own origin.',
    USER_CANCELLED: 'Bạn đã hủy ký. / You cancelled the signature.',
    ORIGIN_NOT_ALLOWED: 'Trang này không được phép dùng token ký số. / This site may not use the signing token.',
    TOKEN_ABSENT: 'Chưa cắm token ký số. / The signing token is not plugged in.',
    PIN_INCORRECT: 'Sai mã PIN. / Wrong PIN.',
    PIN_LOCKED: 'Mã PIN đã bị khóa. / The PIN is locked.',
    DOCUMENT_TOO_LARGE: 'Tệp quá lớn để ký (tối đa 16 MiB). / The file is too large to sign (16 MiB at most).',
    DOCUMENT_MALFORMED: 'Tệp không phải PDF hợp lệ. / The file is not a valid PDF.',
    DOWNLOAD_FAILED: 'Không tải được tệp cần ký. / The file to sign could not be downloaded.',
    UPLOAD_FAILED: 'Không tải lên được tệp đã ký. / The signed file could not be uploaded.',
    NOT_SUPPORTED: 'Chức năng này của VGCA chưa có trong kyso-agent. / This VGCA function is not provided by kyso-agent.',
    BUSY: 'Phần mềm ký số đang bận. / The signing agent is busy.',
    TIMED_OUT: 'Hết thời gian chờ ký. / The signature took too long.'
  };

  function fail(code, detail, status) {
    return new KysoVgcaError(code, MESSAGES[code] || detail || code, status);
  }

  /** The VGCA plugin's params: a JSON string as public pages pass it, or an object. */
  function parseParams(params) {
    if (typeof params === 'string') {
      try {
        params = JSON.parse(params);
      } catch (e) {
        throw fail('BAD_REQUEST', 'the parameters are not JSON');
      }
    }
    if (!params || typeof params !== 'object') {
      throw fail('BAD_REQUEST', 'the parameters must be a JSON object');
    }
    return params;
  }

  /** The absolute address of `value` when it is https on the page's own origin; else URL_NOT_ALLOWED. */
  function ownHttps(value, what) {
    if (typeof value !== 'string' || value === '') {
      throw fail('BAD_REQUEST', what + ' is missing');
    }
    var url;
    try {
      url = new URL(value, global.location.href);
    } catch (e) {
      throw fail('URL_NOT_ALLOWED');
    }
    if (global.location.protocol !== 'https:' || url.protocol !== 'https:' || url.origin !== global.location.origin
        || url.username || url.password) {
      throw fail('URL_NOT_ALLOWED');
    }
    return url.href;
  }

  /** dd/MM/yyyy in Vietnam's time zone, for what the VGCA pages pass (new Date(), ISO text); other text as is. */
  function displayDate(value) {
    if (value === undefined || value === null || value === '') {
      return '';
    }
    var d = new Date(value);
    if (isNaN(d.getTime())) {
      return String(value).slice(0, 200);
    }
    var parts = {};
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' })
        .formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + '/' + parts.month + '/' + parts.year;
  }

  function baseName(href) {
    var path = new URL(href).pathname;
    var name = decodeURIComponent(path.substring(path.lastIndexOf('/') + 1)) || 'document.pdf';
    return name.slice(0, 200);
  }

  /** The file name a download's Content-Disposition gives (filename* first), or null. */
  function dispositionName(header) {
    if (!header) {
      return null;
    }
    var star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
    if (star) {
      try {
        return decodeURIComponent(star[1].trim()).slice(0, 200);
      } catch (e) {
        // a malformed escape: fall back to the plain filename
      }
    }
    var plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header);
    var name = plain && (plain[1] !== undefined ? plain[1] : plain[2]).trim();
    return name ? name.replace(/^.*[\\/]/, '').slice(0, 200) : null;
  }

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var chunks = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return btoa(chunks.join(''));
  }

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function agentBase() {
    return (config.secure ? 'https://' : 'http://') + config.host + ':' + config.port;
  }

  /** Discovery, then one request on a WebSocket. */
  function callAgent(request) {
    return discover(request.op).then(function () {
      return requestAgent(request);
    });
  }

  /** The agent's discovery, at the user's click: Chrome's loopback permission prompt comes now. */
  function discover(op) {
    var init = { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-store', targetAddressSpace: 'loopback' };
    return fetch(agentBase() + '/kyso/v1/hello', init).then(function (response) {
      if (response.status === 403) {
        throw fail('ORIGIN_NOT_ALLOWED');
      }
      if (!response.ok) {
        throw fail('AGENT_UNREACHABLE');
      }
      return response.json();
    }, function (failure) {
      var text = String(failure && failure.message);
      throw fail(text.indexOf('loopback') >= 0 || text.indexOf('ermission') >= 0
          ? 'LOCAL_NETWORK_ACCESS_DENIED' : 'AGENT_UNREACHABLE', text);
    }).then(function (hello) {
      if (!hello || !hello.protocol || hello.protocol.indexOf(PROTOCOL) < 0
          || !hello.capabilities || hello.capabilities.indexOf(op) < 0) {
        throw fail('NOT_SUPPORTED', 'this kyso-agent has no ' + op);
      }
      return hello;
    });
  }

  /** One request on a new WebSocket to the agent; resolves with its result. */
  function requestAgent(request) {
    return new Promise(function (resolve, reject) {
      var socket;
      try {
        socket = new WebSocket(agentBase().replace(/^http/, 'ws') + '/kyso/v1/ws');
      } catch (e) {
        reject(fail('AGENT_UNREACHABLE', String(e && e.message)));
        return;
      }
      var done = false;
      var timer = setTimeout(function () { finish(fail('TIMED_OUT')); }, config.timeoutMs);
      function finish(error, result) {
        if (done) {
          return;
        }
        done = true;
        clearTimeout(timer);
        try {
          socket.close();
        } catch (ignored) {
          // already closed
        }
        if (error) {
          reject(error);
        } else {
          resolve(result);
        }
      }
      socket.onopen = function () {
        request.v = PROTOCOL;
        request.id = 'vgca-' + Date.now();
        // members in this order: the agent lets a message pass 64 KiB only when it starts so
        var ordered = { v: request.v, id: request.id, op: request.op };
        Object.keys(request).forEach(function (k) {
          if (!(k in ordered)) {
            ordered[k] = request[k];
          }
        });
        socket.send(JSON.stringify(ordered));
      };
      socket.onmessage = function (event) {
        var reply;
        try {
          reply = JSON.parse(event.data);
        } catch (e) {
          finish(fail('AGENT_UNREACHABLE', 'not JSON'));
          return;
        }
        if (reply.ok) {
          finish(null, { result: reply.result });
        } else {
          finish(fail(reply.error && reply.error.code || 'INTERNAL_ERROR', reply.error && reply.error.message));
        }
      };
      socket.onerror = function () { finish(fail('AGENT_UNREACHABLE')); };
      socket.onclose = function () { finish(fail('AGENT_UNREACHABLE', 'the connection closed')); };
    });
  }

  function authHeaders(p) {
    var headers = {};
    if (typeof p.JWTToken === 'string' && p.JWTToken !== '') {
      headers.Authorization = 'Bearer ' + p.JWTToken;
    }
    return headers;
  }

  /** Download, sign with the role, upload; resolves with the VGCA reply object. */
  function signFile(role, p) {
    var download = ownHttps(p.FileName, 'FileName');
    var upload = ownHttps(p.FileUploadHandler, 'FileUploadHandler');
    var name = baseName(download);
    var number = p.DocNumber === undefined || p.DocNumber === null ? '' : String(p.DocNumber).slice(0, 200);
    var date = displayDate(p.IssuedDate);
    var signedPdf;
    var agentReply;
    // the agent first: a page whose user has no agent (or refused the browser's permission) hears
    // so before anything is downloaded
    return discover('signPdf').then(function () {
      return fetch(download, { credentials: 'same-origin', redirect: 'error', cache: 'no-store',
        headers: authHeaders(p) }).catch(function (e) {
        throw fail('DOWNLOAD_FAILED', String(e && e.message));
      });
    }).then(function (response) {
      if (!response.ok) {
        throw fail('DOWNLOAD_FAILED', 'HTTP ' + response.status);
      }
      // a download address such as /DownloadFile?fileId=12 names the file in its Content-Disposition
      name = dispositionName(response.headers.get('Content-Disposition')) || name;
      return response.arrayBuffer();
    }).then(function (bytes) {
      if (bytes.byteLength > 16 * 1024 * 1024) {
        throw fail('DOCUMENT_TOO_LARGE');
      }
      var described = { title: name };
      if (number) {
        described.number = number;
      }
      if (date) {
        described.date = date;
      }
      return requestAgent({ op: 'signPdf', role: role, document: described, downloadUrl: download, uploadUrl: upload,
        pdf: toBase64(bytes) });
    }).then(function (answer) {
      agentReply = answer.result;
      signedPdf = fromBase64(agentReply.pdf);
      var form = new FormData();
      form.append(config.uploadField, new Blob([signedPdf], { type: 'application/pdf' }), name);
      form.append('SessionId', typeof p.SessionId === 'string' ? p.SessionId : '');
      form.append('FileName', name);
      form.append('DocumentNumber', agentReply.number || '');
      form.append('DocumentDate', agentReply.date || '');
      return fetch(upload, { method: 'POST', body: form, credentials: 'same-origin', redirect: 'error',
        cache: 'no-store', headers: authHeaders(p) }).catch(function (e) {
        throw fail('UPLOAD_FAILED', String(e && e.message));
      });
    }).then(function (response) {
      if (!response.ok) {
        throw fail('UPLOAD_FAILED', 'HTTP ' + response.status);
      }
      return response.text();
    }).then(function (body) {
      var server = body.trim();
      try {
        var parsed = JSON.parse(server);
        if (parsed && typeof parsed.FileServer === 'string') {
          server = parsed.FileServer;
        }
      } catch (notJson) {
        // the handler answered the address of the stored file as text
      }
      return { Status: 0, Message: '', FileName: name, FileServer: server,
        DocumentNumber: agentReply.number || '', DocumentDate: agentReply.date || '' };
    });
  }

  /** vgca_sign_xml: the whole XML of Base64Content signed enveloped; resolves with the VGCA reply. */
  function signXml(p) {
    if (typeof p.Base64Content !== 'string' || p.Base64Content === '') {
      throw fail('BAD_REQUEST', 'Base64Content is missing');
    }
    if (String(p.ReturnSignatureOnly).toLowerCase() === 'true') {
      throw fail('NOT_SUPPORTED', 'ReturnSignatureOnly is not provided by kyso-agent');
    }
    var hash = String(p.HashAlg || 'Sha256').toUpperCase().replace('-', '');
    return callAgent({ op: 'signXml', document: { title: 'Dữ liệu XML / XML data' }, digest: hash,
      xml: p.Base64Content }).then(function (answer) {
      return { Status: 0, Message: '', Signature: answer.result.xml };
    });
  }

  function reportFailure(error, onError, callback, sender, withSender) {
    var e = error instanceof KysoVgcaError ? error : fail('INTERNAL_ERROR', String(error && error.message));
    var handler = typeof onError === 'function' ? onError : config.onError;
    if (typeof handler === 'function') {
      handler(e);
      return;
    }
    var reply = JSON.stringify({ Status: e.status, Message: e.message, Error: e.code });
    if (typeof callback === 'function') {
      if (withSender) {
        callback(sender, reply);
      } else {
        callback(reply);
      }
    }
  }

  function signing(role) {
    return function (params, callback, onError) {
      var p;
      try {
        p = parseParams(params);
        signFile(role, p).then(function (reply) {
          if (typeof callback === 'function') {
            callback(JSON.stringify(reply));
          }
        }, function (error) {
          reportFailure(error, onError, callback);
        });
      } catch (error) {
        // a refused address or bad parameters: nothing was requested from anyone
        setTimeout(function () { reportFailure(error, onError, callback); }, 0);
      }
    };
  }

  function xmlSigning() {
    return function (sender, params, callback, onError) {
      try {
        signXml(parseParams(params)).then(function (reply) {
          if (typeof callback === 'function') {
            callback(sender, JSON.stringify(reply));
          }
        }, function (error) {
          reportFailure(error, onError, callback, sender, true);
        });
      } catch (error) {
        setTimeout(function () { reportFailure(error, onError, callback, sender, true); }, 0);
      }
    };
  }

  /**
   * A VGCA function kyso-agent does not provide: the error callback (or the VGCA callback) hears
   * NOT_SUPPORTED. `shape` is how the plugin's function takes its arguments: 'sender' for
   * (sender, params, callback), 'params' for (params, callback), 'callback' for (callback).
   */
  function unsupported(name, shape) {
    return function () {
      var args = Array.prototype.slice.call(arguments);
      var first = shape === 'sender' ? 2 : shape === 'params' ? 1 : 0;
      var callback = args[first];
      var onError = args[first + 1];
      setTimeout(function () {
        reportFailure(fail('NOT_SUPPORTED', name + ' is not provided by kyso-agent'), onError, callback, args[0],
            shape === 'sender');
      }, 0);
    };
  }

  global.vgca_sign_approved = signing('approved');
  global.vgca_sign_issued = signing('issued');
  global.vgca_sign_income = signing('income');
  global.vgca_sign_copy = signing('copy');
  global.vgca_sign_appendix = signing('appendix');
  // public pages use vgca_sign_file for an approval with MetaData: a plain (invisible) approval signature
  global.vgca_sign_file = signing('approved');
  global.vgca_sign_xml = xmlSigning();
  global.vgca_sign_msg = unsupported('vgca_sign_msg', 'sender');
  global.vgca_auth = unsupported('vgca_auth', 'sender');
  global.vgca_verify_pdf = unsupported('vgca_verify_pdf', 'params');
  global.vgca_verify_xml = unsupported('vgca_verify_xml', 'params');
  global.vgca_verify_msg = unsupported('vgca_verify_msg', 'params');
  global.vgca_comment = unsupported('vgca_comment', 'params');
  global.vgca_sign_pdf = unsupported('vgca_sign_pdf', 'params');
  global.vgca_sign_office = unsupported('vgca_sign_office', 'params');
  global.vgca_get_certinfo = unsupported('vgca_get_certinfo', 'callback');
  global.vgca_license_request = unsupported('vgca_license_request', 'callback');
  global.vgca_verify_office = unsupported('vgca_verify_office', 'params');
  global.vgca_sign_pdfwp = unsupported('vgca_sign_pdfwp', 'params');
  global.vgca_sign_xml_wp12 = unsupported('vgca_sign_xml_wp12', 'params');
  // the plugin opened its own settings window; the agent's settings are the administrator's file
  global.vgca_show_config = function () { };

  global.KysoVgca = {
    /** options: port, secure, host, uploadField ('file'), timeoutMs, onError (the default error callback). */
    configure: function (options) {
      Object.keys(options || {}).forEach(function (k) {
        if (k in config) {
          config[k] = options[k];
        }
      });
    },
    Error: KysoVgcaError,
    describe: function (error) {
      return (error && MESSAGES[error.code]) || (error && error.message) || String(error);
    }
  };
}(typeof window !== 'undefined' ? window : this));
