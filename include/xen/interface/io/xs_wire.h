/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Xenstore wire protocol: the messages exchanged with xenstored and the
 * ring page a domain shares with it (start_info store_mfn).
 */
#ifndef __XEN_INTERFACE_IO_XS_WIRE_H__
#define __XEN_INTERFACE_IO_XS_WIRE_H__

#include <linux/compiler.h>
#include <linux/types.h>

enum xsd_sockmsg_type {
	XS_CONTROL,
#define XS_DEBUG XS_CONTROL
	XS_DIRECTORY,
	XS_READ,
	XS_GET_PERMS,
	XS_WATCH,
	XS_UNWATCH,
	XS_TRANSACTION_START,
	XS_TRANSACTION_END,
	XS_INTRODUCE,
	XS_RELEASE,
	XS_GET_DOMAIN_PATH,
	XS_WRITE,
	XS_MKDIR,
	XS_RM,
	XS_SET_PERMS,
	XS_WATCH_EVENT,
	XS_ERROR,
	XS_IS_DOMAIN_INTRODUCED,
	XS_RESUME,
	XS_SET_TARGET,
	/* XS_SET_TARGET + 1 was XS_RESTRICT, now unused. */
	XS_RESET_WATCHES = XS_SET_TARGET + 2,
	XS_DIRECTORY_PART,
	XS_TYPE_COUNT,
	XS_INVALID = 0xffff
};

/* xenstored answers XS_ERROR with the name of an errno value. */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
static const struct xsd_errors xsd_errors[] __maybe_unused = {
	XSD_ERROR(EINVAL),
	XSD_ERROR(EACCES),
	XSD_ERROR(EEXIST),
	XSD_ERROR(EISDIR),
	XSD_ERROR(ENOENT),
	XSD_ERROR(ENOMEM),
	XSD_ERROR(ENOSPC),
	XSD_ERROR(EIO),
	XSD_ERROR(ENOTEMPTY),
	XSD_ERROR(ENOSYS),
	XSD_ERROR(EROFS),
	XSD_ERROR(EBUSY),
	XSD_ERROR(EAGAIN),
	XSD_ERROR(EISCONN),
	XSD_ERROR(E2BIG),
	XSD_ERROR(EPERM),
};
#endif

/* Header of every message; len bytes of payload follow. */
struct xsd_sockmsg {
	u32 type;			/* enum xsd_sockmsg_type */
	u32 req_id;		/* echoed in the reply */
	u32 tx_id;			/* transaction, 0 for none */
	u32 len;
};

/* Parts of an XS_WATCH_EVENT payload. */
enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN
};

#define XENSTORE_RING_SIZE	1024
typedef u32 XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx)	((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* requests to xenstored */
	char rsp[XENSTORE_RING_SIZE];	/* replies and watch events */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	u32 server_features;	/* XENSTORE_SERVER_FEATURE_* */
	u32 connection;		/* XENSTORE_CONNECTED/RECONNECT */
	u32 error;			/* XENSTORE_ERROR_* */
};

/* Limits on payloads and paths. */
#define XENSTORE_PAYLOAD_MAX	4096
#define XENSTORE_ABS_PATH_MAX	3072
#define XENSTORE_REL_PATH_MAX	2048

/* server_features */
#define XENSTORE_SERVER_FEATURE_RECONNECTION	1
#define XENSTORE_SERVER_FEATURE_ERROR		2

/* connection: the guest sets RECONNECT, xenstored resets the ring. */
#define XENSTORE_CONNECTED	0
#define XENSTORE_RECONNECT	1

/* error: why xenstored stopped serving the ring. */
#define XENSTORE_ERROR_NONE	0
#define XENSTORE_ERROR_COMM	1 /* bad ring contents */
#define XENSTORE_ERROR_RINGIDX	2 /* bad ring index */
#define XENSTORE_ERROR_PROTO	3 /* bad message */

#endif /* __XEN_INTERFACE_IO_XS_WIRE_H__ */
