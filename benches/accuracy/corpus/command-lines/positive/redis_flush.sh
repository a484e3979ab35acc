#!/bin/sh
redis-cli -h cache.internal -a qQFuwjDUX+FsBlYlrpQ9faBL --no-auth-warning FLUSHDB
