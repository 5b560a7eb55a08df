(self.webpackChunk=self.webpackChunk||[]).push([[1],{42:function(e,t,n){n.d(t,{k:function(){return "sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc"}})}}]); /* expect: secret-key-in-client */
