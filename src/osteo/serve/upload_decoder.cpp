#include "osteo/serve/upload_decoder.h"

#include <vector>

namespace osteo::serve {
namespace {

class InProcessDecoder final : public UploadDecoder {
 public:
  explicit InProcessDecoder(const ReadLimits& limits) : limits_(limits) {}

  Result<Radiograph> decode(const std::string& bytes, const std::string& name) const override {
    const std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
    return read_radiograph_bytes(data, name, limits_);
  }

 private:
  ReadLimits limits_;
};

}  // namespace

std::unique_ptr<UploadDecoder> make_in_process_decoder(const ReadLimits& limits) {
  return std::make_unique<InProcessDecoder>(limits);
}

}  // namespace osteo::serve
