// SRTP (AEAD_AES_128_GCM, RFC 7714) and batched UDP sends for the focus's forwarding path,
// as a Node-API addon. Node's crypto API costs a new cipher object per packet (about 7 us for
// a 1100-byte packet on the benchmark machine, most of it per call) and its dgram send goes
// through a DNS-lookup step, a request object and a tick per packet; here one OpenSSL context
// per session key is keyed once and reused with a new IV per packet, packets are encrypted
// straight into a send arena, decrypted in place, and sent with sendmmsg per socket; SRTCP
// is decrypted through the generic gcmOpen.
// OpenSSL and Node-API symbols come from the node executable that loads this library (Node
// exports both); it is compiled against the headers of that same Node (scripts/build-native.ts).
// The TypeScript path (srtpProtect.ts, srtpUnprotect.ts, dgram) stays the fallback and the
// reference the tests compare this against (nativeSrtp.test.ts).
#define _GNU_SOURCE
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>
#include <node_api.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#define GCM_TAG 16
#define MAX_BATCH 64

static void free_ctx(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  EVP_CIPHER_CTX_free((EVP_CIPHER_CTX*)data);
}

static napi_value throw_error(napi_env env, const char* msg) {
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static int get_buffer(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return 0;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, len, (void**)data, &ab, &offset) != napi_ok) return 0;
  return type == napi_uint8_array;
}

static int get_u32(napi_env env, napi_value v, uint32_t* out) {
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

// gcmContext(key: Uint8Array(16), encrypt: boolean): external
static napi_value gcm_context(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t* key;
  size_t klen;
  bool enc = false;
  if (argc < 2 || !get_buffer(env, argv[0], &key, &klen) || klen != 16)
    return throw_error(env, "gcmContext: a 16-byte key is required");
  napi_get_value_bool(env, argv[1], &enc);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return throw_error(env, "gcmContext: out of memory");
  int ok = enc ? EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, key, NULL)
               : EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, key, NULL);
  if (ok != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return throw_error(env, "gcmContext: OpenSSL refused the key");
  }
  napi_value ext;
  napi_create_external(env, ctx, free_ctx, NULL, &ext);
  return ext;
}

// RFC 7714 §8.1: 00 00 || SSRC || ROC || SEQ, XOR the 12-byte salt
static void rtp_iv(uint8_t iv[12], const uint8_t* salt, const uint8_t* header, uint32_t roc) {
  iv[0] = 0;
  iv[1] = 0;
  memcpy(iv + 2, header + 8, 4);
  iv[6] = roc >> 24;
  iv[7] = roc >> 16;
  iv[8] = roc >> 8;
  iv[9] = roc;
  memcpy(iv + 10, header + 2, 2);
  for (int i = 0; i < 12; i++) iv[i] ^= salt[i];
}

// gcmProtect(ctx, salt, out, offset, headerLength, payload, roc): the RTP header is already at
// out[offset, offset + headerLength); writes the encrypted payload and the tag after it and
// returns the datagram's length, or throws when `out` is too small.
static napi_value gcm_protect(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_CIPHER_CTX* ctx;
  uint8_t *salt, *out, *pay;
  size_t slen, olen, plen;
  uint32_t off, hlen, roc;
  if (argc < 7 || napi_get_value_external(env, argv[0], (void**)&ctx) != napi_ok ||
      !get_buffer(env, argv[1], &salt, &slen) || slen < 12 ||
      !get_buffer(env, argv[2], &out, &olen) || !get_u32(env, argv[3], &off) ||
      !get_u32(env, argv[4], &hlen) || hlen < 12 || !get_buffer(env, argv[5], &pay, &plen) ||
      !get_u32(env, argv[6], &roc))
    return throw_error(env, "gcmProtect: bad arguments");
  if ((size_t)off + hlen + plen + GCM_TAG > olen) return throw_error(env, "gcmProtect: no room");
  uint8_t* dst = out + off;
  uint8_t iv[12];
  rtp_iv(iv, salt, dst, roc);
  int n = 0;
  if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(ctx, NULL, &n, dst, (int)hlen) != 1 ||
      EVP_EncryptUpdate(ctx, dst + hlen, &n, pay, (int)plen) != 1 ||
      EVP_EncryptFinal_ex(ctx, dst + hlen + n, &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, GCM_TAG, dst + hlen + plen) != 1)
    return throw_error(env, "gcmProtect: OpenSSL failed");
  napi_value r;
  napi_create_uint32(env, (uint32_t)(hlen + plen + GCM_TAG), &r);
  return r;
}

// gcmUnprotect(ctx, salt, packet, headerLength, roc): decrypts the payload in place and
// returns its length, or -1 when the packet does not authenticate or is too short.
static napi_value gcm_unprotect(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_CIPHER_CTX* ctx;
  uint8_t *salt, *pkt;
  size_t slen, len;
  uint32_t hlen, roc;
  if (argc < 5 || napi_get_value_external(env, argv[0], (void**)&ctx) != napi_ok ||
      !get_buffer(env, argv[1], &salt, &slen) || slen < 12 ||
      !get_buffer(env, argv[2], &pkt, &len) || !get_u32(env, argv[3], &hlen) ||
      !get_u32(env, argv[4], &roc))
    return throw_error(env, "gcmUnprotect: bad arguments");
  int32_t result = -1;
  if (len >= 12 && (size_t)hlen + GCM_TAG <= len && hlen >= 12) {
    size_t clen = len - hlen - GCM_TAG;
    uint8_t iv[12];
    rtp_iv(iv, salt, pkt, roc);
    uint8_t tag[GCM_TAG];
    memcpy(tag, pkt + len - GCM_TAG, GCM_TAG);
    int n = 0;
    if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, iv) == 1 &&
        EVP_DecryptUpdate(ctx, NULL, &n, pkt, (int)hlen) == 1 &&
        EVP_DecryptUpdate(ctx, pkt + hlen, &n, pkt + hlen, (int)clen) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG, tag) == 1 &&
        EVP_DecryptFinal_ex(ctx, pkt + hlen + n, &n) == 1)
      result = (int32_t)clen;
  }
  napi_value r;
  napi_create_int32(env, result, &r);
  return r;
}

// gcmOpen(ctx, iv: 12 bytes, aad, data, tag: 16 bytes): AES-128-GCM decryption of `data` in
// place with the given IV and additional data (SRTCP, RFC 7714 §9, whose additional data is not
// one run of the packet); returns 1, or 0 when it does not authenticate (`data` then holds
// garbage).
static napi_value gcm_open(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_CIPHER_CTX* ctx;
  uint8_t *iv, *aad, *data, *tag;
  size_t ivlen, aadlen, dlen, taglen;
  if (argc < 5 || napi_get_value_external(env, argv[0], (void**)&ctx) != napi_ok ||
      !get_buffer(env, argv[1], &iv, &ivlen) || ivlen != 12 ||
      !get_buffer(env, argv[2], &aad, &aadlen) || !get_buffer(env, argv[3], &data, &dlen) ||
      !get_buffer(env, argv[4], &tag, &taglen) || taglen != GCM_TAG)
    return throw_error(env, "gcmOpen: bad arguments");
  uint8_t t[GCM_TAG];
  memcpy(t, tag, GCM_TAG);
  int n = 0;
  int ok = EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, iv) == 1 &&
           EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) == 1 &&
           EVP_DecryptUpdate(ctx, data, &n, data, (int)dlen) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, GCM_TAG, t) == 1 &&
           EVP_DecryptFinal_ex(ctx, data + n, &n) == 1;
  napi_value r;
  napi_create_int32(env, ok ? 1 : 0, &r);
  return r;
}

// sendBatch(arena, meta: Uint32Array, count): meta holds 5 numbers per datagram
// (fd, offset, length, IPv4 address as a host-order number, port). Consecutive datagrams on
// the same socket go out in one sendmmsg. Returns the number of datagrams the kernel took;
// the rest (a full socket buffer, a closed socket) are dropped, as a full UDP buffer would.
static napi_value send_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  uint8_t* arena;
  size_t alen;
  uint32_t* meta;
  size_t mlen;
  uint32_t count;
  napi_typedarray_type type;
  napi_value ab;
  size_t boff;
  if (argc < 3 || !get_buffer(env, argv[0], &arena, &alen) ||
      napi_get_typedarray_info(env, argv[1], &type, &mlen, (void**)&meta, &ab, &boff) != napi_ok ||
      type != napi_uint32_array || !get_u32(env, argv[2], &count) || (size_t)count * 5 > mlen)
    return throw_error(env, "sendBatch: bad arguments");
  // on the stack: worker threads may call this at the same time
  struct mmsghdr msgs[MAX_BATCH];
  struct iovec iovs[MAX_BATCH];
  struct sockaddr_in addrs[MAX_BATCH];
  uint32_t sent = 0;
  uint32_t i = 0;
  while (i < count) {
    uint32_t fd = meta[i * 5];
    uint32_t n = 0;
    while (i + n < count && n < MAX_BATCH && meta[(i + n) * 5] == fd) {
      const uint32_t* m = meta + (i + n) * 5;
      if ((size_t)m[1] + m[2] > alen) return throw_error(env, "sendBatch: datagram out of range");
      iovs[n].iov_base = arena + m[1];
      iovs[n].iov_len = m[2];
      memset(&addrs[n], 0, sizeof addrs[n]);
      addrs[n].sin_family = AF_INET;
      addrs[n].sin_addr.s_addr = htonl(m[3]);
      addrs[n].sin_port = htons((uint16_t)m[4]);
      memset(&msgs[n].msg_hdr, 0, sizeof msgs[n].msg_hdr);
      msgs[n].msg_hdr.msg_name = &addrs[n];
      msgs[n].msg_hdr.msg_namelen = sizeof addrs[n];
      msgs[n].msg_hdr.msg_iov = &iovs[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      n++;
    }
    uint32_t done = 0;
    while (done < n) {
      int r = sendmmsg((int)fd, msgs + done, n - done, MSG_DONTWAIT);
      if (r > 0) {
        done += (uint32_t)r;
        sent += (uint32_t)r;
      } else if (r < 0 && errno == EINTR) {
        continue;
      } else {
        done++;  // this datagram cannot go now: drop it, try the next
      }
    }
    i += n;
  }
  napi_value r;
  napi_create_uint32(env, sent, &r);
  return r;
}

// trimMalloc(): gives malloc's free pages back to the system, also those between chunks in use
// (glibc's free() returns only the top of a heap). 1 if memory was released; 0, or on a C
// library without malloc_trim, nothing to do.
static napi_value trim_malloc(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#ifdef __GLIBC__
  released = malloc_trim(0);
#endif
  napi_value r;
  napi_create_int32(env, released, &r);
  return r;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gcmContext", NULL, gcm_context, NULL, NULL, NULL, napi_default, NULL},
      {"gcmProtect", NULL, gcm_protect, NULL, NULL, NULL, napi_default, NULL},
      {"gcmUnprotect", NULL, gcm_unprotect, NULL, NULL, NULL, napi_default, NULL},
      {"gcmOpen", NULL, gcm_open, NULL, NULL, NULL, napi_default, NULL},
      {"sendBatch", NULL, send_batch, NULL, NULL, NULL, napi_default, NULL},
      {"trimMalloc", NULL, trim_malloc, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
